import {
  ApisApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import type { InformedKind } from '@shoehorn/plugin-gitops-common';
import { httpStatusOf } from '../errors/AgentError';

/** The version the agent watches a kind in, or why the cluster serves none it reads. */
export type VersionChoice =
  | { version: string; reason?: undefined }
  | { version?: undefined; reason: string };

/**
 * The group's versions to look for the kind in: those the agent reads, newest first whatever
 * the server's order, and the rest (looked at only to name them when none of the first serve it).
 */
export function versionsToProbe(
  kind: Pick<InformedKind, 'versions'>,
  groupVersions: readonly string[],
): { readable: string[]; others: string[] } {
  return {
    readable: kind.versions.filter(v => groupVersions.includes(v)),
    others: groupVersions.filter(v => !kind.versions.includes(v)),
  };
}

/** Why a kind cannot be watched, given the versions the cluster serves it in (none: no CRD). */
export function unservedReason(
  kind: Pick<InformedKind, 'versions' | 'plural' | 'group'>,
  served: readonly string[],
): string {
  const crd = `${kind.plural}.${kind.group}`;
  return served.length === 0
    ? `CRD ${crd} is not installed`
    : `${crd} serves ${served.join(
        ', ',
      )}; this agent reads ${kind.versions.join(', ')}`;
}

/** Discovery of one group version's resources; a fresh one per probe, as it caches them. */
class GroupVersionResources extends KubernetesObjectApi {
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    try {
      return (await this.resource(apiVersion, kind)) !== undefined;
    } catch (e) {
      // Gone between the group list and this request.
      if (httpStatusOf(e) === 404) return false;
      throw e;
    }
  }
}

/**
 * Asks the API server's discovery (`GET /apis`, then `GET /apis/<group>/<version>`) which
 * version of a kind to watch: the first of its versions that serves the kind. Each version is
 * checked for the kind itself, because a group's version may serve only some of its kinds.
 * Errors other than "not served" are thrown, to be retried like a failing list.
 */
export async function discoverVersion(
  kubeConfig: KubeConfig,
  kind: InformedKind,
): Promise<VersionChoice> {
  const groups = await kubeConfig
    .makeApiClient(ApisApi)
    .getAPIVersions()
    .catch(e => {
      if (httpStatusOf(e) === 404) return { groups: [] };
      throw e;
    });
  const group = groups.groups.find(g => g.name === kind.group);
  const { readable, others } = versionsToProbe(
    kind,
    group?.versions.map(v => v.version) ?? [],
  );
  const resources = kubeConfig.makeApiClient(GroupVersionResources);
  const serves = (version: string) =>
    resources.serves(`${kind.group}/${version}`, kind.kind);
  for (const version of readable) {
    if (await serves(version)) return { version };
  }
  const served: string[] = [];
  for (const version of others) {
    if (await serves(version)) served.push(version);
  }
  return { reason: unservedReason(kind, served) };
}
