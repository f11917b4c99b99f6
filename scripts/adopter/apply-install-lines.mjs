// Applies the install lines of the plugin READMEs to a fresh Backstage app, as an adopter
// would paste them, and prints the lines added per plugin. The READMEs are the input, so a
// README whose lines no longer work fails the adopter test.
// Usage: node apply-install-lines.mjs <repo root> <app dir> <new|legacy|backend> <tarball dir>
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [root, app, target, tarballs] = process.argv.slice(2);

/** The fenced code blocks of a README section, in order, with their language. */
function codeBlocks(readme, heading) {
  const text = readFileSync(join(root, readme), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${readme}: no section "${heading}"`);
  const level = heading.match(/^#+/)[0].length;
  const rest = text.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`\\n#{1,${level}} `));
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(m => ({
    lang: m[1],
    code: m[2],
  }));
}

/** Splits a snippet into its import statements and the rest (the JSX or call to place). */
function splitImports(code) {
  const imports = [...code.matchAll(/^import[\s\S]*?;\n/gm)].map(m => m[0]);
  let body = code;
  for (const i of imports) body = body.replace(i, '');
  return { imports: imports.join(''), body: body.trim().replace(/;$/, '') };
}

const added = {};
/** Edits a file of the app and counts the lines the edit added. */
function edit(plugin, file, change) {
  const path = join(app, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  if (after === before)
    throw new Error(`${file}: the README's lines changed nothing`);
  writeFileSync(path, after);
  added[plugin] =
    (added[plugin] ?? 0) + after.split('\n').length - before.split('\n').length;
}

function insertBefore(text, anchor, snippet, file) {
  const at = text.indexOf(anchor);
  if (at < 0)
    throw new Error(`${file}: no "${anchor}" to add the README's lines before`);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  // Inside a closing tag's element the snippet goes one level deeper; before a call, level.
  const indent = `${text.slice(lineStart, at)}${
    anchor.startsWith('</') ? '  ' : ''
  }`;
  const lines = snippet
    .split('\n')
    .map(l => `${indent}${l}`)
    .join('\n');
  return `${text.slice(0, lineStart)}${lines}\n${text.slice(lineStart)}`;
}

function addImports(text, imports) {
  return `${imports}${text}`;
}

/** Runs a README's `yarn … add <package>` line with the packed tarball as the version. */
function runAdd(plugin, line) {
  const m = line.match(/^yarn --cwd (\S+) add (@shoehorn\/[\w-]+)$/);
  if (!m) throw new Error(`unexpected install line: ${line}`);
  const [, cwd, name] = m;
  const dir =
    target === 'legacy'
      ? cwd.replace(/^packages\/app$/, 'packages/app-legacy')
      : cwd;
  // `yarn pack --out %s.tgz` names a tarball by the package's slug.
  const tarball = join(tarballs, `${name.slice(1).replace('/', '-')}.tgz`);
  console.log(`[adopter] ${plugin}: ${line}   (from ${tarball})`);
  execFileSync(
    process.execPath,
    [
      join(app, '.yarn/releases/yarn-4.13.0.cjs'),
      '--cwd',
      dir,
      'add',
      `${name}@file:${tarball}`,
    ],
    {
      cwd: app,
      // The base app's native modules are built; the tarballs have no install scripts.
      env: { ...process.env, YARN_ENABLE_SCRIPTS: 'false' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  added[plugin] = (added[plugin] ?? 0) + 1;
}

function sh(blocks) {
  return blocks
    .filter(b => b.lang === 'sh')
    .flatMap(b => b.code.trim().split('\n'));
}

const FRONTEND = 'plugins/gitops/README.md';
const BACKEND = 'plugins/gitops-backend/README.md';

if (target === 'backend') {
  const blocks = codeBlocks(BACKEND, '## Install');
  for (const line of sh(blocks)) runAdd('backend', line);
  const { body } = splitImports(blocks.find(b => b.lang === 'ts').code);
  edit('backend', 'packages/backend/src/index.ts', t =>
    insertBefore(t, 'backend.start();', `${body};`, 'index.ts'),
  );
} else if (target === 'new') {
  for (const line of sh(codeBlocks(FRONTEND, '## Install')))
    runAdd('frontend (new system)', line);
  const [app_] = codeBlocks(FRONTEND, '### New frontend system').filter(
    b => b.lang === 'tsx',
  );
  const { imports, body } = splitImports(app_.code);
  const feature = body.match(/features: \[(\w+)/)[1];
  edit('frontend (new system)', 'packages/app/src/App.tsx', t =>
    addImports(t, imports).replace(/features: \[/, `features: [${feature}, `),
  );
} else if (target === 'legacy') {
  for (const line of sh(codeBlocks(FRONTEND, '## Install')))
    runAdd('frontend (legacy system)', line);
  const [route, tab] = codeBlocks(
    FRONTEND,
    '### Legacy frontend system',
  ).filter(b => b.lang === 'tsx');
  const r = splitImports(route.code);
  edit('frontend (legacy system)', 'packages/app-legacy/src/App.tsx', t =>
    insertBefore(addImports(t, r.imports), '</FlatRoutes>', r.body, 'App.tsx'),
  );
  const e = splitImports(tab.code);
  const page = 'packages/app-legacy/src/components/catalog/EntityPage.tsx';
  edit('frontend (legacy system)', page, t => {
    const withImports = addImports(t, e.imports);
    const start = withImports.indexOf('const serviceEntityPage');
    if (start < 0) throw new Error(`${page}: no serviceEntityPage`);
    return (
      withImports.slice(0, start) +
      insertBefore(withImports.slice(start), '</EntityLayout>', e.body, page)
    );
  });
} else {
  throw new Error(`unknown target ${target} (new, legacy or backend)`);
}

for (const [plugin, lines] of Object.entries(added)) {
  console.log(`[adopter] lines added for the ${plugin}: ${lines}`);
}
