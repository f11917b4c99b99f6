import {
  AGENTS,
  createTestDatabases,
  makePush,
  makeResource,
} from '../__testUtils__/harness';
import { startGitOpsBackend } from '../__testUtils__/harness';

jest.setTimeout(180_000);

const SHA = '4f2c9e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d';

describe('where is a revision live: the revision filter', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'finds a full or short SHA in raw and Flux revisions, and a tag, across clusters, %p',
    async databaseId => {
      const backend = await startGitOpsBackend({
        knex: await databases.init(databaseId),
      });
      await backend.push(
        AGENTS.a,
        makePush({
          upserts: [
            makeResource('argo-live', { revision: SHA }),
            makeResource('argo-old', { revision: 'a'.repeat(40) }),
          ],
        }),
      );
      const flux = makePush({
        upserts: [
          makeResource('flux-live', {
            tool: 'fluxcd',
            kind: 'Kustomization',
            revision: `main@sha1:${SHA}`,
          }),
          makeResource('oci-tagged', {
            tool: 'fluxcd',
            kind: 'OCIRepository',
            revision: 'v1.4.2@sha256:9a8b7c6d5e4f',
          }),
          makeResource('chart', {
            tool: 'fluxcd',
            kind: 'HelmRelease',
            revision: '1.4.2',
          }),
        ],
      });
      flux.agent.tool = 'fluxcd';
      expect((await backend.push(AGENTS.b, flux)).status).toBe(200);

      const names = async (revision: string) =>
        (await backend.list(`?revision=${encodeURIComponent(revision)}`)).items
          .map(i => `${i.cluster}/${i.name}`)
          .sort();
      expect(await names(SHA)).toEqual([
        'cluster-a/argo-live',
        'cluster-b/flux-live',
      ]);
      expect(await names(SHA.slice(0, 7).toUpperCase())).toEqual([
        'cluster-a/argo-live',
        'cluster-b/flux-live',
      ]);
      expect(await names('v1.4.2')).toEqual(['cluster-b/oci-tagged']);
      expect(await names('1.4.2')).toEqual(['cluster-b/chart']);
      // Six hex digits are too short to stand for a commit.
      expect(await names(SHA.slice(0, 6))).toEqual([]);
      expect(await names('100%')).toEqual([]);

      const empty = await backend.get('/v1/resources?revision=');
      expect(empty.status).toBe(400);
      expect(JSON.stringify(empty.body)).toMatch(/revision/);
      await backend.stop();
    },
  );
});
