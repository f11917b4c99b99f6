/*
 * `yarn bench [--short] [--engines=sqlite,pg] [item...]`: runs the benchmarks one after
 * another, each in its own process, then prints every figure in one table and writes
 * bench/results/all-<time>.json. Exits non-zero when a benchmark failed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { machine, type Figure, type Report } from './lib/report';

const ITEMS = [
  'ingest',
  'list',
  'stats',
  'commands',
  'agent',
  'history',
  'peers',
  'fleet',
];

function main(): number {
  const args = process.argv.slice(2);
  const flags = args.filter(a => a.startsWith('--'));
  const chosen = args.filter(a => !a.startsWith('--'));
  for (const item of chosen) {
    if (!ITEMS.includes(item))
      throw new Error(`unknown benchmark ${item} (${ITEMS.join(', ')})`);
  }
  const items = chosen.length > 0 ? chosen : ITEMS;
  const resultsDir = path.join(__dirname, 'results');
  const started = new Date();
  const figures: Figure[] = [];
  const failures: Report['failures'] = [];
  const failedItems: string[] = [];
  const crashes: string[] = [];
  for (const item of items) {
    process.stdout.write(`\n### ${item}\n`);
    const before = new Set(
      fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : [],
    );
    const run = spawnSync(
      process.execPath,
      [
        '-r',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(__dirname, `${item}.ts`),
        ...flags,
      ],
      // stderr is passed through and kept, so a crash's reason is repeated under the table.
      {
        stdio: ['inherit', 'inherit', 'pipe'],
        env: process.env,
        maxBuffer: 1 << 28,
      },
    );
    process.stderr.write(run.stderr ?? '');
    if (run.status !== 0) failedItems.push(item);
    const written = fs
      .readdirSync(resultsDir)
      .filter(
        f => !before.has(f) && f.startsWith(`${item}-`) && f.endsWith('.json'),
      );
    for (const file of written) {
      const result = JSON.parse(
        fs.readFileSync(path.join(resultsDir, file), 'utf8'),
      );
      figures.push(...result.figures);
      failures.push(...result.failures);
    }
    if (run.status !== 0 && written.length === 0) {
      const tail = String(run.stderr ?? '')
        .trimEnd()
        .split('\n')
        .slice(-15);
      crashes.push(`${item} exited with ${run.status ?? run.signal}:`, ...tail);
    }
  }

  const rows = figures.map(f => [
    f.item,
    f.engine ?? '-',
    f.name,
    `${
      Number.isFinite(f.value)
        ? f.value.toFixed(f.value >= 100 ? 0 : f.value >= 10 ? 1 : 2)
        : f.value
    } ${f.unit === 'count' ? '' : f.unit}`.trim(),
    f.goal ?? '',
    f.goal ? (f.met ? 'met' : 'MISSED') : '',
  ]);
  const header = ['item', 'engine', 'measure', 'value', 'goal', ''];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const mode =
    flags.includes('--short') || process.env.BENCH_SHORT === '1'
      ? 'short'
      : 'full';
  process.stdout.write(
    `\n=== all benchmarks (${mode}; load now ${machine().loadAverage.join(
      ' ',
    )})\n`,
  );
  process.stdout.write(
    [
      line(header),
      widths.map(w => '-'.repeat(w)).join('  '),
      ...rows.map(line),
    ].join('\n'),
  );
  process.stdout.write('\n');

  const file = path.join(
    resultsDir,
    `all-${mode === 'short' ? 'short-' : ''}${started
      .toISOString()
      .replace(/[:.]/g, '-')}.json`,
  );
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        mode,
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: machine(),
        figures,
        failures,
        failedItems,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`results: ${path.relative(process.cwd(), file)}\n`);
  if (failedItems.length > 0) {
    for (const f of failures)
      process.stdout.write(
        `failure: ${f.item}/${f.engine} ${f.name}: ${f.error}\n`,
      );
    for (const line of crashes) process.stdout.write(`${line}\n`);
    process.stdout.write(`FAILED: ${failedItems.join(', ')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
