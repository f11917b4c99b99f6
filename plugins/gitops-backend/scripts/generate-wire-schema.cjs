// Writes the zod-generated component schemas into openapi.yaml, then regenerates the router.
// Run as `yarn generate` in this package.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const YAML = require('yaml');
const { generateWireComponents } = require('./wireComponents');

const packageDir = path.resolve(__dirname, '..');
const specPath = path.join(packageDir, 'src/schema/openapi.yaml');
const generatedDir = path.join(packageDir, 'src/schema/openapi/generated');

function writeSpec() {
  const document = YAML.parseDocument(fs.readFileSync(specPath, 'utf8'));
  for (const [name, schema] of Object.entries(generateWireComponents())) {
    document.setIn(['components', 'schemas', name], schema);
  }
  fs.writeFileSync(specPath, document.toString({ lineWidth: 0 }));
  // The repository's prettier, as the router generator below uses it too.
  execFileSync(path.resolve(packageDir, '../../node_modules/.bin/prettier'), [
    '--write',
    specPath,
  ]);
}

/** The generator writes a model file per component; only those the router's types reach are kept. */
function pruneUnusedModels() {
  const modelsDir = path.join(generatedDir, 'models');
  const importsOf = file =>
    [
      ...fs
        .readFileSync(file, 'utf8')
        .matchAll(/from '(?:\.\.\/models|\.)\/(\w+)\.model'/g),
    ].map(m => m[1]);
  const kept = new Set();
  const pending = importsOf(path.join(generatedDir, 'apis/Api.server.ts'));
  while (pending.length) {
    const name = pending.pop();
    if (!kept.has(name)) {
      kept.add(name);
      pending.push(...importsOf(path.join(modelsDir, `${name}.model.ts`)));
    }
  }
  for (const file of fs.readdirSync(modelsDir)) {
    if (!kept.has(file.replace(/\.model\.ts$/, ''))) {
      fs.rmSync(path.join(modelsDir, file));
    }
  }
}

function main() {
  writeSpec();
  execFileSync(
    'yarn',
    [
      'backstage-repo-tools',
      'package',
      'schema',
      'openapi',
      'generate',
      '--server',
    ],
    { cwd: packageDir, stdio: 'inherit' },
  );
  pruneUnusedModels();
}

main();
