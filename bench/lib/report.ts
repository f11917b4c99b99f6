/* Timing, percentiles, the printed table and the JSON results of a benchmark run. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine } from './backend';

export interface BenchOptions {
  short: boolean;
  engines: Engine[];
}

/** `--short` or BENCH_SHORT=1: small sizes, seconds. `--engines=sqlite,pg` (default both). */
export function parseOptions(argv = process.argv.slice(2)): BenchOptions {
  const short =
    argv.includes('--short') ||
    ['1', 'true'].includes(process.env.BENCH_SHORT ?? '');
  const enginesArg = argv
    .find(a => a.startsWith('--engines='))
    ?.slice('--engines='.length);
  const engines = (enginesArg ?? 'sqlite,pg')
    .split(',')
    .filter(Boolean) as Engine[];
  for (const engine of engines) {
    if (engine !== 'sqlite' && engine !== 'pg') {
      throw new Error(`--engines: unknown engine ${engine} (sqlite, pg)`);
    }
  }
  return { short, engines };
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; value: T }> {
  const start = nowMs();
  const value = await fn();
  return { ms: nowMs() - start, value };
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Polls `check` until it returns a value, or throws naming `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not seen within ${timeoutMs / 1000} s`);
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

export const median = (samples: number[]) => percentile(samples, 50);

export interface Figure {
  /** Which of the five items: ingest, list, stats, commands, agent. */
  item: string;
  engine?: Engine | '-';
  name: string;
  value: number;
  unit: 'ms' | 's' | 'x' | 'MB' | 'count' | '/s';
  /** The goal, as text (e.g. "<= 1.5x"), and whether this figure meets it. */
  goal?: string;
  met?: boolean;
  note?: string;
}

function format(value: number, unit: Figure['unit']): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit === 'count' ? '' : ` ${unit}`}`;
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map(l => Number(l.toFixed(2))),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Collects figures, prints them as a table and writes bench/results/<item>-<time>.json. */
export class Report {
  readonly figures: Figure[] = [];
  readonly failures: Array<{
    item: string;
    engine: Engine | '-';
    name: string;
    error: string;
  }> = [];
  private readonly startedAt = new Date();
  private readonly loadAtStart = os.loadavg()[0];

  constructor(readonly item: string, readonly options: BenchOptions) {}

  add(figure: Omit<Figure, 'item'>): void {
    const full = { item: this.item, ...figure };
    this.figures.push(full);
    const goal = full.goal
      ? `  goal ${full.goal}: ${full.met ? 'met' : 'MISSED'}`
      : '';
    process.stderr.write(
      `  [${full.item}${
        full.engine && full.engine !== '-' ? `/${full.engine}` : ''
      }] ${full.name} = ${format(full.value, full.unit)}${goal}\n`,
    );
  }

  /**
   * Runs one measurement; a failure is recorded (and fails the run) without stopping the
   * others. With `retries`, a failed try's figures are dropped and it runs again: a noisy
   * machine can disturb one try of a multi-process case.
   */
  async attempt(
    engine: Engine | '-',
    name: string,
    fn: () => Promise<void>,
    { retries = 0 }: { retries?: number } = {},
  ): Promise<boolean> {
    for (let tries = 0; ; tries++) {
      const mark = this.figures.length;
      try {
        await fn();
        return true;
      } catch (error) {
        const message = shorten(String((error as Error)?.message ?? error));
        this.figures.length = mark;
        if (tries < retries) {
          this.log(`${name}: try ${tries + 1} failed (${message}); again`);
          continue;
        }
        this.failures.push({ item: this.item, engine, name, error: message });
        process.stderr.write(
          `  [${this.item}/${engine}] ${name} FAILED: ${message}\n`,
        );
        return false;
      }
    }
  }

  log(message: string): void {
    process.stderr.write(`  ${message}\n`);
  }

  table(): string {
    const rows = this.figures.map(f => [
      f.item,
      f.engine ?? '-',
      f.name,
      format(f.value, f.unit),
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
    return [
      line(header),
      widths.map(w => '-'.repeat(w)).join('  '),
      ...rows.map(line),
    ].join('\n');
  }

  finish(): string {
    const dir = path.resolve(__dirname, '../results');
    fs.mkdirSync(dir, { recursive: true });
    const stamp = this.startedAt.toISOString().replace(/[:.]/g, '-');
    const file = path.join(
      dir,
      `${this.item}-${this.options.short ? 'short-' : ''}${stamp}.json`,
    );
    const result = {
      item: this.item,
      mode: this.options.short ? 'short' : 'full',
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: {
        ...machine(),
        loadAverageAtStart: Number(this.loadAtStart.toFixed(2)),
      },
      figures: this.figures,
      failures: this.failures,
    };
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `\n== ${this.item} (${
        result.mode
      }; load ${result.machine.loadAverage.join(' ')})\n`,
    );
    process.stdout.write(`${this.table()}\n`);
    for (const f of this.failures) {
      process.stdout.write(
        `FAILED ${f.item}/${f.engine}: ${f.name}: ${f.error}\n`,
      );
    }
    process.stdout.write(`results: ${path.relative(process.cwd(), file)}\n`);
    if (this.failures.length > 0) process.exitCode = 1;
    return file;
  }
}

/** Runs a benchmark's main function when the file is executed directly. */
/** One line; database errors quote the whole statement: keep its start and the reason at its end. */
function shorten(message: string): string {
  const text = message.replace(/\s+/g, ' ');
  return text.length > 400
    ? `${text.slice(0, 150)} … ${text.slice(-200)}`
    : text;
}

export function runMain(main: () => Promise<void>) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    error => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
