import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  WATCHED_KINDS,
  type AgentCommand,
  type CommandResult,
} from '@shoehorn/plugin-gitops-common';
import {
  httpStatusOf,
  kubeErrorMessage,
  kubeStatusMessage,
} from '../errors/AgentError';
import { clip, CommandExecutor } from './CommandExecutor';

/** The annotation Flux controllers watch to reconcile on demand. */
export const RECONCILE_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';

/** Flux source kinds a Kustomization or HelmRelease may reference, with the versions to try. */
const SOURCE_KINDS: Record<
  string,
  { group: string; plural: string; versions: string[] }
> = {
  GitRepository: {
    group: 'source.toolkit.fluxcd.io',
    plural: 'gitrepositories',
    versions: ['v1'],
  },
  OCIRepository: {
    group: 'source.toolkit.fluxcd.io',
    plural: 'ocirepositories',
    versions: ['v1', 'v1beta2'],
  },
  HelmRepository: {
    group: 'source.toolkit.fluxcd.io',
    plural: 'helmrepositories',
    versions: ['v1', 'v1beta2'],
  },
  Bucket: {
    group: 'source.toolkit.fluxcd.io',
    plural: 'buckets',
    versions: ['v1', 'v1beta2'],
  },
  HelmChart: {
    group: 'source.toolkit.fluxcd.io',
    plural: 'helmcharts',
    versions: ['v1', 'v1beta2'],
  },
};

interface ObjectRef {
  kind: string;
  group: string;
  plural: string;
  versions: string[];
  namespace: string;
  name: string;
}

type ReconcileOutcome =
  | { kind: 'echoed'; ready?: { status: string; message?: string } }
  | { kind: 'accepted' };

/**
 * Sync and refresh of Flux objects: a merge patch of reconcile.fluxcd.io/requestedAt, as
 * `flux reconcile` does. Sync of a Kustomization or HelmRelease reconciles its source first
 * (`--with-source`). Success is the controller echoing the value in
 * status.lastHandledReconcileAt, or, when no controller answers within the wait, the API
 * server accepting the patch; the result message says which. Suspend and resume merge-patch
 * spec.suspend to true and false, as `flux suspend` and `flux resume` do.
 */
export class FluxCommands implements CommandExecutor {
  private readonly api: CustomObjectsApi;

  constructor(
    kubeConfig: KubeConfig,
    private readonly echoWaitMs: number,
    private readonly pollMs = 250,
    /** The version the agent watches a kind in, if it watches it: the one to patch. */
    private readonly watchedVersion: (
      kind: string,
    ) => string | undefined = () => undefined,
  ) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async execute(command: AgentCommand): Promise<CommandResult> {
    const { kind, namespace, name } = command.resource;
    const watched = WATCHED_KINDS.find(
      w => w.tool === 'fluxcd' && w.kind === kind,
    );
    if (!watched)
      return {
        status: 'failed',
        message: `Flux commands apply to Flux kinds, not ${kind}`,
      };
    const target: ObjectRef = {
      kind,
      group: watched.group,
      plural: watched.plural,
      versions: this.versionsOf(kind, watched.versions),
      namespace,
      name,
    };
    if (command.type === 'suspend' || command.type === 'resume') {
      return this.setSuspend(target, command.type === 'suspend');
    }
    const notes: string[] = [];
    try {
      if (command.type === 'sync' && kind !== 'GitRepository') {
        const object = await this.read(target);
        const ref = sourceOf(object, namespace);
        const source = ref && {
          ...ref,
          versions: this.versionsOf(ref.kind, ref.versions),
        };
        if (source) {
          const outcome = await this.reconcile(source);
          notes.push(
            `source ${source.kind} ${source.namespace}/${
              source.name
            }: ${describe(outcome)}`,
          );
          if (outcome.kind === 'echoed' && outcome.ready?.status === 'False') {
            return {
              status: 'failed',
              message: clip(
                `source ${source.kind} ${source.namespace}/${
                  source.name
                } failed: ${outcome.ready.message ?? 'Ready=False'}`,
              ),
            };
          }
        }
      }
      const outcome = await this.reconcile(target);
      const verb = command.type === 'sync' ? 'reconciled' : 'refreshed';
      if (outcome.kind === 'echoed' && outcome.ready?.status === 'False') {
        return {
          status: 'failed',
          message: clip(
            `${kind} ${namespace}/${name} failed: ${
              outcome.ready.message ?? 'Ready=False'
            }`,
          ),
        };
      }
      return {
        status: 'succeeded',
        message: clip(
          [
            `${kind} ${namespace}/${name} ${verb}: ${describe(outcome)}`,
            ...notes,
          ].join('; '),
        ),
      };
    } catch (e) {
      return { status: 'failed', message: clip(kubeMessage(e)) };
    }
  }

  /** Sets spec.suspend; the controller acts on the spec change itself, so nothing is awaited. */
  private async setSuspend(
    ref: ObjectRef,
    suspend: boolean,
  ): Promise<CommandResult> {
    try {
      await this.patch(ref, { spec: { suspend } });
      const object = `${ref.kind} ${ref.namespace}/${ref.name}`;
      return {
        status: 'succeeded',
        message: suspend
          ? `${object} suspended: spec.suspend set to true; Flux does not reconcile it until it is resumed`
          : `${object} resumed: spec.suspend set to false; Flux reconciles it again`,
      };
    } catch (e) {
      return { status: 'failed', message: clip(kubeMessage(e)) };
    }
  }

  private versionsOf(kind: string, known: readonly string[]): string[] {
    const watched = this.watchedVersion(kind);
    return watched ? [watched] : [...known];
  }

  private async read(ref: ObjectRef): Promise<any> {
    return this.withVersion(ref, version =>
      this.api.getNamespacedCustomObject({
        group: ref.group,
        version,
        namespace: ref.namespace,
        plural: ref.plural,
        name: ref.name,
      }),
    );
  }

  /** A JSON merge patch, in the first served version of the kind. */
  private async patch(ref: ObjectRef, body: object): Promise<void> {
    await this.withVersion(ref, version =>
      this.api.patchNamespacedCustomObject(
        {
          group: ref.group,
          version,
          namespace: ref.namespace,
          plural: ref.plural,
          name: ref.name,
          body,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
  }

  private async reconcile(ref: ObjectRef): Promise<ReconcileOutcome> {
    const requestedAt = new Date().toISOString();
    await this.patch(ref, {
      metadata: { annotations: { [RECONCILE_ANNOTATION]: requestedAt } },
    });
    const deadline = Date.now() + this.echoWaitMs;
    while (Date.now() < deadline) {
      await new Promise(r =>
        setTimeout(
          r,
          Math.min(this.pollMs, Math.max(0, deadline - Date.now())),
        ),
      );
      const obj = await this.read(ref);
      if (obj?.status?.lastHandledReconcileAt === requestedAt) {
        const ready = (obj.status.conditions ?? []).find(
          (c: any) => c?.type === 'Ready',
        );
        return {
          kind: 'echoed',
          ready: ready
            ? { status: ready.status, message: ready.message }
            : undefined,
        };
      }
    }
    return { kind: 'accepted' };
  }

  private async withVersion<T>(
    ref: ObjectRef,
    call: (version: string) => Promise<T>,
  ): Promise<T> {
    let lastError: unknown;
    for (const version of ref.versions) {
      try {
        return await call(version);
      } catch (e) {
        // The API server's "<object> not found" says more than an unserved version's 404.
        if (lastError === undefined || !kubeStatusMessage(lastError)) {
          lastError = e;
        }
        // Another served version may exist; anything but "not found" is final.
        if (httpStatusOf(e) !== 404) throw e;
      }
    }
    throw lastError;
  }

  /** The waiting time for the controller's echo (for messages and tests). */
  get echoWait(): number {
    return this.echoWaitMs;
  }
}

function sourceOf(object: any, namespace: string): ObjectRef | undefined {
  const ref =
    object?.kind === 'HelmRelease'
      ? object?.spec?.chart?.spec?.sourceRef ?? object?.spec?.chartRef
      : object?.spec?.sourceRef;
  const known = ref?.kind ? SOURCE_KINDS[ref.kind] : undefined;
  if (!known || !ref?.name) return undefined;
  return {
    kind: ref.kind,
    ...known,
    namespace: ref.namespace ?? namespace,
    name: ref.name,
  };
}

function describe(outcome: ReconcileOutcome): string {
  if (outcome.kind === 'echoed') {
    const ready = outcome.ready
      ? ` (Ready=${outcome.ready.status}${
          outcome.ready.message ? `: ${outcome.ready.message}` : ''
        })`
      : '';
    return `the controller handled the request (status.lastHandledReconcileAt echoed it)${ready}`;
  }
  return `the API server accepted the ${RECONCILE_ANNOTATION} annotation; no Flux controller echoed it in status.lastHandledReconcileAt within the wait`;
}

function kubeMessage(e: unknown): string {
  const status = httpStatusOf(e);
  return `Kubernetes API error${
    status ? ` (HTTP ${status})` : ''
  }: ${kubeErrorMessage(e)}`;
}
