import fc from 'fast-check';
import { gitOpsResourceSchema } from '../model';
import { toStorableText, withoutUserinfo } from '../storableText';
import { syncedApplication } from './__fixtures__/argoApplications';
import { accepted } from './__fixtures__/records';
import {
  gitRepository,
  helmRelease,
  kustomization,
} from './__fixtures__/fluxObjects';
import { FluxSourceIndex } from './fluxSourceIndex';
import { normalizeObject } from './normalizeObject';
import type { NormalizeResult } from './types';
import { WATCHED_KINDS } from './watchedKinds';

/** Either a schema-valid record or a rejection with a reason: nothing else. */
function wellFormed(result: NormalizeResult): boolean {
  return result.ok
    ? gitOpsResourceSchema.safeParse(result.resource).success
    : typeof result.reason === 'string' && result.reason.length > 0;
}

const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1 }),
  fc.constantFrom(
    '<img src=x onerror=alert(1)>',
    '<script>alert("x")</script>',
    '  padded  ',
    'Ünïcödé 名前 🚀',
    'e\u0301',
    '\u202Eevil',
    'line\nbreak',
    '{{ .Values }}',
    '__proto__',
  ),
);

const apiVersions = fc.constantFrom(
  ...WATCHED_KINDS.flatMap(w => w.versions.map(v => `${w.group}/${v}`)),
  'kustomize.toolkit.fluxcd.io/v1beta1',
  'v1',
);

/** Objects that look like watched kinds but with arbitrary JSON in every part. */
const kubernetesShaped = fc.record(
  {
    apiVersion: apiVersions,
    kind: fc.constantFrom(...WATCHED_KINDS.map(w => w.kind), 'ConfigMap'),
    metadata: fc.record(
      {
        name: fc.oneof(hostileText, fc.jsonValue()),
        namespace: fc.oneof(hostileText, fc.jsonValue()),
        uid: fc.oneof(fc.uuid(), fc.jsonValue()),
        annotations: fc.oneof(
          fc.record({
            'shoehorn.dev/entity': fc.oneof(hostileText, fc.jsonValue()),
          }),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    ),
    spec: fc.jsonValue(),
    status: fc.jsonValue(),
  },
  { requiredKeys: ['apiVersion', 'kind'] },
);

/** A realistic object with one path replaced by arbitrary JSON. */
function withMutation(make: () => any, paths: string[][]) {
  return fc
    .tuple(fc.constantFrom(...paths), fc.jsonValue())
    .map(([path, value]) => {
      const obj = make();
      let parent = obj;
      for (const key of path.slice(0, -1)) {
        if (typeof parent[key] !== 'object' || parent[key] === null) {
          parent[key] = {};
        }
        parent = parent[key];
      }
      parent[path[path.length - 1]] = value;
      return obj;
    });
}

const mutated = fc.oneof(
  withMutation(syncedApplication, [
    ['spec'],
    ['spec', 'source'],
    ['spec', 'sources'],
    ['spec', 'sourceHydrator'],
    ['spec', 'syncPolicy'],
    ['spec', 'syncPolicy', 'automated'],
    ['status'],
    ['status', 'sync'],
    ['status', 'health'],
    ['status', 'history'],
    ['status', 'operationState'],
    ['status', 'operationState', 'syncResult'],
    ['status', 'conditions'],
    ['metadata'],
    ['metadata', 'annotations'],
  ]),
  withMutation(kustomization, [
    ['spec'],
    ['spec', 'sourceRef'],
    ['spec', 'path'],
    ['spec', 'suspend'],
    ['status'],
    ['status', 'conditions'],
    ['status', 'history'],
    ['status', 'lastAppliedRevision'],
  ]),
  withMutation(helmRelease, [
    ['spec'],
    ['spec', 'chart'],
    ['spec', 'chartRef'],
    ['status'],
    ['status', 'history'],
    ['status', 'conditions'],
    ['status', 'lastAttemptedRevision'],
  ]),
  withMutation(gitRepository, [
    ['spec'],
    ['spec', 'ref'],
    ['spec', 'url'],
    ['status'],
    ['status', 'artifact'],
    ['status', 'conditions'],
  ]),
);

const sources = FluxSourceIndex.fromObjects([gitRepository()]);

describe('normalizeObject properties', () => {
  it('never throws on arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withMap: true, withSet: true }),
        value => {
          expect(wellFormed(normalizeObject(value, sources))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives a valid record or a rejection for Kubernetes-shaped JSON', () => {
    fc.assert(
      fc.property(kubernetesShaped, obj => {
        expect(wellFormed(normalizeObject(obj, sources))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives a valid record or a rejection when any part of a real object is replaced', () => {
    fc.assert(
      fc.property(mutated, obj => {
        expect(wellFormed(normalizeObject(obj, sources))).toBe(true);
        // The same input always gives the same output: the mapping is pure.
        expect(normalizeObject(obj, sources)).toEqual(
          normalizeObject(obj, sources),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('passes names, messages, URLs and annotations through raw, but for unstorable text and URL credentials', () => {
    const stored = (text: string) => toStorableText(text);
    const storedUrl = (url: string) => withoutUserinfo(toStorableText(url));
    fc.assert(
      fc.property(
        hostileText,
        hostileText,
        hostileText,
        hostileText,
        hostileText,
        (name, namespace, message, url, entity) => {
          const app = syncedApplication();
          app.metadata.name = name;
          app.metadata.namespace = namespace;
          app.metadata.annotations['shoehorn.dev/entity'] = entity;
          app.spec.source.repoURL = url;
          app.status.conditions = [{ type: 'ComparisonError', message }];
          expect(accepted(normalizeObject(app))).toMatchObject({
            name: stored(name),
            namespace: stored(namespace),
            message: stored(message),
            entityAnnotation: stored(entity),
            source: { url: storedUrl(url) },
          });

          const repo = gitRepository();
          repo.metadata.namespace = namespace;
          repo.spec.url = url;
          const ks = kustomization();
          ks.metadata.namespace = namespace;
          ks.metadata.name = name;
          ks.status.conditions[0].message = message;
          const record = accepted(
            normalizeObject(ks, FluxSourceIndex.fromObjects([repo])),
          );
          expect(record).toMatchObject({
            name: stored(name),
            message: stored(message),
            source: { url: storedUrl(url) },
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps drift reasons non-empty exactly when drift is detected', () => {
    fc.assert(
      fc.property(
        fc.option(hostileText, { nil: undefined }),
        fc.option(hostileText, { nil: undefined }),
        fc.constantFrom('True', 'False', 'Unknown', undefined),
        (applied, attempted, drifted) => {
          const hr = helmRelease();
          hr.status.history[1].chartVersion = applied;
          hr.status.lastAttemptedRevision = attempted;
          if (drifted) {
            hr.status.conditions.push({
              type: 'Drifted',
              status: drifted,
              message: '',
            });
          }
          const { drift, syncStatus } = accepted(normalizeObject(hr));
          const stuck =
            applied !== undefined &&
            attempted !== undefined &&
            applied !== attempted;
          expect(drift.detected).toBe(stuck || drifted === 'True');
          expect(drift.reason !== null && drift.reason !== '').toBe(
            drift.detected,
          );
          // Unstorable revisions are replaced inside the reason, so only storable ones are found as-is.
          const storable = (text: string) => toStorableText(text) === text;
          const namesBoth =
            !stuck ||
            !storable(applied!) ||
            !storable(attempted!) ||
            (drift.reason!.includes(applied!) &&
              drift.reason!.includes(attempted!));
          expect(namesBoth).toBe(true);
          expect(drift.reason === null || storable(drift.reason)).toBe(true);
          let expectedSync = 'OutOfSync';
          if (applied === undefined || attempted === undefined) {
            expectedSync = 'Unknown';
          } else if (applied === attempted) {
            expectedSync = 'Synced';
          }
          expect(syncStatus).toBe(expectedSync);
        },
      ),
      { numRuns: 300 },
    );
  });
});
