import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';

// The README examples are what adopters paste into app-config.yaml: they must parse.
const readmes = ['gitops-backend', 'gitops', 'gitops-common'].map(dir =>
  path.resolve(__dirname, '../..', dir, 'README.md'),
);

function yamlBlocks(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*```ya?ml\n([\s\S]*?)^\s*```/gm)].map(m => m[1]);
}

describe('README YAML examples', () => {
  it.each(readmes)('every yaml block of %s parses', file => {
    for (const block of yamlBlocks(file)) {
      const doc = parseDocument(block);
      expect(doc.errors.map(e => e.message)).toEqual([]);
    }
  });

  it('the agent identity example maps the subject of its credential', () => {
    const [identity] = yamlBlocks(readmes[0])
      .map(block => parseDocument(block).toJS())
      .filter(config => config?.gitops?.agents);
    const credential = identity.backend.auth.externalAccess[0];
    expect(credential.accessRestrictions).toEqual([{ plugin: 'gitops' }]);
    expect(identity.gitops.agents).toEqual([
      {
        subject: credential.options.subject,
        tenant: 'default',
        cluster: 'prod-eu',
      },
    ]);
    expect(credential.options.token).toBe('${GITOPS_AGENT_TOKEN_PROD_EU}');
  });
});
