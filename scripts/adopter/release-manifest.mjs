// Prints a Backstage release manifest of the repository's line: the @backstage/* versions of
// its lockfile and the release of backstage.json. `backstage-cli versions:bump` reads it from
// BACKSTAGE_MANIFEST_FILE where the release site is out of reach.
// Usage: node release-manifest.mjs <repo root>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
const lock = readFileSync(join(root, 'yarn.lock'), 'utf8');
const versions = new Map();
for (const m of lock.matchAll(
  /^"(@backstage\/[^@"]+)@[^\n]*:\n {2}version: ([^\n]+)/gm,
)) {
  const [, name, version] = m;
  const known = versions.get(name);
  const newer = (a, b) => a.localeCompare(b, undefined, { numeric: true }) > 0;
  if (!known || newer(version, known)) versions.set(name, version);
}
const { version } = JSON.parse(
  readFileSync(join(root, 'backstage.json'), 'utf8'),
);
process.stdout.write(
  JSON.stringify({
    releaseVersion: version,
    packages: [...versions].map(([name, v]) => ({ name, version: v })),
  }),
);
