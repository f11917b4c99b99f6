/*
 * Flux commands run by the agent's own ServiceAccount token, with exactly what the chart
 * installs: its RBAC lets every source kind a HelmRelease or Kustomization references be
 * reconciled first and read back, and its admission policy lets the agent write nothing but
 * the reconcile annotation and spec.suspend (Suspend and Resume).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  AdmissionregistrationV1Api,
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
/* eslint-disable @backstage/no-forbidden-package-imports -- the agent's harness and commands have no public entry point */
import { FluxCommands } from '@shoehorn/gitops-agent/src/commands/FluxCommands';
import {
  ControlPlane,
  startControlPlane,
  eventually,
} from '@shoehorn/gitops-test-kit';
/* eslint-enable @backstage/no-forbidden-package-imports */
import { CHART_DIR, helm, scratchDir, valueArgs } from '../src';

jest.setTimeout(300_000);

const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
/** Source kinds the agent does not watch (the project's CRDs hold the watched ones), as Flux serves them. */
const UNWATCHED_SOURCE_KINDS = [
  { kind: 'Bucket', plural: 'buckets' },
  { kind: 'HelmChart', plural: 'helmcharts' },
];
/** Source kinds beyond the GitRepository a Sync reconciles first. */
const SOURCE_KINDS = [
  { kind: 'HelmRepository', plural: 'helmrepositories' },
  { kind: 'OCIRepository', plural: 'ocirepositories' },
  ...UNWATCHED_SOURCE_KINDS,
];
const NS = 'apps';

let cp: ControlPlane;
let agent: KubeConfig;

async function createSourceCrd(kind: string, plural: string) {
  await cp.kubeConfig
    .makeApiClient(ApiextensionsV1Api)
    .createCustomResourceDefinition({
      body: {
        metadata: { name: `${plural}.${SOURCE_GROUP}` },
        spec: {
          group: SOURCE_GROUP,
          scope: 'Namespaced',
          names: { kind, plural, singular: kind.toLowerCase() },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  x_kubernetes_preserve_unknown_fields: true,
                },
              },
            },
          ],
        },
      },
    });
}

async function create(
  group: string,
  version: string,
  plural: string,
  kind: string,
  name: string,
  spec: object,
) {
  await cp.kubeConfig
    .makeApiClient(CustomObjectsApi)
    .createNamespacedCustomObject({
      group,
      version,
      namespace: NS,
      plural,
      body: {
        apiVersion: `${group}/${version}`,
        kind,
        metadata: { name },
        spec,
      },
    });
}

type FluxCommand = Parameters<FluxCommands['execute']>[0];

function command(
  type: FluxCommand['type'],
  kind: FluxCommand['resource']['kind'],
  name: string,
): FluxCommand {
  return {
    id: `cmd-${type}-${name}`,
    type,
    hard: false,
    resource: { tool: 'fluxcd', kind, namespace: NS, name },
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
  };
}

beforeAll(async () => {
  cp = await startControlPlane({ crds: true });
  for (const { kind, plural } of UNWATCHED_SOURCE_KINDS) {
    await createSourceCrd(kind, plural);
  }
  const scratch = scratchDir();
  const kubeconfigFile = path.join(scratch, 'admin.kubeconfig');
  fs.writeFileSync(kubeconfigFile, cp.kubeConfig.exportConfig(), {
    mode: 0o600,
  });
  const installed = await helm([
    'install',
    'agent',
    CHART_DIR,
    '--namespace',
    'gitops',
    '--create-namespace',
    '--kubeconfig',
    kubeconfigFile,
    ...valueArgs(
      {
        values: {
          agent: {
            backendURL: 'https://backstage.example.com',
            credential: { existingSecret: 'agent-credential' },
            gitops: { tool: 'fluxcd' },
          },
        },
      },
      scratch,
    ),
  ]);
  if (installed.code !== 0)
    throw new Error(`helm install failed:\n${installed.stderr}`);
  agent = await cp.kubeConfigFor('gitops', 'agent-gitops-agent');

  await cp.kubeConfig
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name: NS } } });
  for (const { kind, plural } of SOURCE_KINDS) {
    // A new CRD is served a moment after it is created.
    await eventually(() =>
      create(SOURCE_GROUP, 'v1', plural, kind, plural, { interval: '5m' }),
    );
  }
  const release = (name: string, chart: object) =>
    create(
      'helm.toolkit.fluxcd.io',
      'v2',
      'helmreleases',
      'HelmRelease',
      name,
      {
        interval: '5m',
        ...chart,
      },
    );
  await release('from-helm-repository', {
    chart: {
      spec: {
        chart: 'podinfo',
        sourceRef: { kind: 'HelmRepository', name: 'helmrepositories' },
      },
    },
  });
  await release('from-oci-repository', {
    chartRef: { kind: 'OCIRepository', name: 'ocirepositories' },
  });
  await release('from-helm-chart', {
    chartRef: { kind: 'HelmChart', name: 'helmcharts' },
  });
  await create(
    SOURCE_GROUP,
    'v1',
    'gitrepositories',
    'GitRepository',
    'fleet',
    {
      url: 'https://git.example.com/fleet.git',
      interval: '5m',
    },
  );
  await create(
    'kustomize.toolkit.fluxcd.io',
    'v1',
    'kustomizations',
    'Kustomization',
    'from-bucket',
    {
      interval: '5m',
      path: './',
      sourceRef: { kind: 'Bucket', name: 'buckets' },
    },
  );
});

afterAll(() => cp?.stop());

describe.each([
  ['HelmRelease', 'from-helm-repository', 'HelmRepository', 'helmrepositories'],
  ['HelmRelease', 'from-oci-repository', 'OCIRepository', 'ocirepositories'],
  ['HelmRelease', 'from-helm-chart', 'HelmChart', 'helmcharts'],
  ['Kustomization', 'from-bucket', 'Bucket', 'buckets'],
] as const)(
  'Sync of a %s from a source (%s)',
  (kind, name, sourceKind, source) => {
    it(`reconciles the ${sourceKind} first and reads it back, with the chart's RBAC`, async () => {
      // The controller-echo wait makes the command read the source after patching it.
      const flux = new FluxCommands(agent, 300, 100);
      const result = await flux.execute(command('sync', kind, name));
      expect(result).toEqual({
        status: 'succeeded',
        message: expect.stringContaining(
          `source ${sourceKind} ${NS}/${source}: the API server accepted the reconcile.fluxcd.io/requestedAt annotation`,
        ),
      });
      const patched: any = await cp.kubeConfig
        .makeApiClient(CustomObjectsApi)
        .getNamespacedCustomObject({
          group: SOURCE_GROUP,
          version: 'v1',
          namespace: NS,
          plural: source,
          name: source,
        });
      expect(
        patched.metadata.annotations['reconcile.fluxcd.io/requestedAt'],
      ).toMatch(/^\d{4}-\d\d-\d\dT/);
    });
  },
);

describe("the chart's admission policy on the agent's writes", () => {
  const patchAs = (
    kc: KubeConfig,
    body: object,
    target = { plural: 'gitrepositories', name: 'fleet' },
  ) =>
    kc
      .makeApiClient(CustomObjectsApi)
      .patchNamespacedCustomObject(
        {
          group: SOURCE_GROUP,
          version: 'v1',
          namespace: NS,
          ...target,
          body,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
      .then(
        () => 'allowed',
        (e: any) => `${e.code}: ${JSON.parse(e.body).message}`,
      );
  /** Waits until the policy denies the agent a spec.url change: from then on it is enforced. */
  const enforced = () =>
    eventually(async () =>
      expect(
        await patchAs(agent, { spec: { url: 'https://x.example.com/x.git' } }),
      ).toMatch(/^422: /),
    );
  const specOf = async (group: string, plural: string, name: string) =>
    (
      (await cp.kubeConfig
        .makeApiClient(CustomObjectsApi)
        .getNamespacedCustomObject({
          group,
          version: plural === 'helmreleases' ? 'v2' : 'v1',
          namespace: NS,
          plural,
          name,
        })) as any
    ).spec;

  it('is installed where the API server serves ValidatingAdmissionPolicy', async () => {
    const policies = await cp.kubeConfig
      .makeApiClient(AdmissionregistrationV1Api)
      .listValidatingAdmissionPolicyBinding();
    expect(policies.items.map(p => p.spec?.validationActions)).toEqual([
      ['Deny'],
    ]);
  });

  it('denies a spec.url patch by the agent, and lets it set the reconcile annotation', async () => {
    // A new policy is enforced a moment after it is created.
    const denied = await eventually(async () => {
      const outcome = await patchAs(agent, {
        spec: { url: 'https://attacker.example.com/fleet.git' },
      });
      expect(outcome).not.toBe('allowed');
      return outcome;
    });
    expect(denied).toMatch(
      /^422: .*the GitOps agent may not change the spec of Flux objects/,
    );
    expect(
      await patchAs(agent, {
        metadata: {
          annotations: {
            'reconcile.fluxcd.io/requestedAt': new Date().toISOString(),
          },
        },
      }),
    ).toBe('allowed');
    const repo: any = await cp.kubeConfig
      .makeApiClient(CustomObjectsApi)
      .getNamespacedCustomObject({
        group: SOURCE_GROUP,
        version: 'v1',
        namespace: NS,
        plural: 'gitrepositories',
        name: 'fleet',
      });
    expect(repo.spec.url).toBe('https://git.example.com/fleet.git');
  });

  it('denies the agent any other annotation, label or spec field beside suspend, and leaves other users alone', async () => {
    await eventually(async () =>
      expect(
        await patchAs(agent, {
          metadata: { annotations: { 'example.com/note': 'x' } },
        }),
      ).toMatch(/may change only the reconcile.fluxcd.io\/requestedAt/),
    );
    expect(
      await patchAs(agent, { metadata: { labels: { team: 'x' } } }),
    ).toMatch(/may not change labels/);
    // spec.suspend is allowed alone: carried with another field, the whole patch is denied.
    expect(
      await patchAs(agent, {
        spec: { suspend: true, url: 'https://attacker.example.com/fleet.git' },
      }),
    ).toMatch(/may not change the spec of Flux objects, except spec.suspend/);
    expect(await patchAs(agent, { spec: { interval: '1s' } })).toMatch(
      /may not change the spec/,
    );
    // A kind whose schema does not type spec.suspend still gets only a boolean from the agent.
    expect(
      await patchAs(
        agent,
        { spec: { suspend: 'yes' } },
        { plural: 'buckets', name: 'buckets' },
      ),
    ).toMatch(/may set spec.suspend of Flux objects only to true or false/);
    expect((await specOf(SOURCE_GROUP, 'gitrepositories', 'fleet')).url).toBe(
      'https://git.example.com/fleet.git',
    );
    expect(await patchAs(cp.kubeConfig, { spec: { interval: '10m' } })).toBe(
      'allowed',
    );
  });

  describe.each([
    [
      'HelmRelease',
      'helm.toolkit.fluxcd.io',
      'helmreleases',
      'from-oci-repository',
    ],
    [
      'Kustomization',
      'kustomize.toolkit.fluxcd.io',
      'kustomizations',
      'from-bucket',
    ],
    ['GitRepository', SOURCE_GROUP, 'gitrepositories', 'fleet'],
    ['OCIRepository', SOURCE_GROUP, 'ocirepositories', 'ocirepositories'],
    ['HelmRepository', SOURCE_GROUP, 'helmrepositories', 'helmrepositories'],
  ] as const)('Suspend and Resume of a %s', (kind, group, plural, name) => {
    it("set spec.suspend to true and back to false, with the chart's RBAC and the policy enforced", async () => {
      await enforced();
      const flux = new FluxCommands(agent, 0);
      const before = await specOf(group, plural, name);
      expect(await flux.execute(command('suspend', kind, name))).toEqual({
        status: 'succeeded',
        message: `${kind} ${NS}/${name} suspended: spec.suspend set to true; Flux does not reconcile it until it is resumed`,
      });
      expect(await specOf(group, plural, name)).toEqual({
        ...before,
        suspend: true,
      });
      expect(await flux.execute(command('resume', kind, name))).toEqual({
        status: 'succeeded',
        message: `${kind} ${NS}/${name} resumed: spec.suspend set to false; Flux reconciles it again`,
      });
      expect(await specOf(group, plural, name)).toEqual({
        ...before,
        suspend: false,
      });
    });
  });
});
