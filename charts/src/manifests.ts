/*
 * Reading rendered manifests the way an admin reviewing them would: which objects, which RBAC
 * rules bound to which scope.
 */
import { K8sObject } from './helm';

/** One RBAC rule, with its lists sorted so rules compare by content. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** The rules of one Role or ClusterRole, where they apply. */
export interface Grant {
  kind: 'Role' | 'ClusterRole';
  name: string;
  /** The namespace of a Role; undefined for a ClusterRole (cluster-wide). */
  namespace?: string;
  rules: PolicyRule[];
}

export function objectsOfKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter(o => o.kind === kind);
}

/** The single object of a kind (and name), or an error listing what was rendered. */
export function findOne(
  objects: K8sObject[],
  kind: string,
  name?: string,
): K8sObject {
  const matches = objects.filter(
    o => o.kind === kind && (!name || o.metadata.name === name),
  );
  if (matches.length !== 1) {
    const rendered = objects
      .map(o => `${o.kind}/${o.metadata.name}`)
      .join(', ');
    throw new Error(
      `expected one ${kind}${name ? ` ${name}` : ''}, found ${
        matches.length
      } in: ${rendered}`,
    );
  }
  return matches[0];
}

export function normalizeRule(rule: PolicyRule): PolicyRule {
  const sorted = (xs?: string[]) => (xs ? [...xs].sort() : undefined);
  const out: PolicyRule = {
    apiGroups: sorted(rule.apiGroups)!,
    resources: sorted(rule.resources)!,
    verbs: sorted(rule.verbs)!,
  };
  if (rule.resourceNames) out.resourceNames = sorted(rule.resourceNames);
  return out;
}

/** Every Role and ClusterRole that is bound to the given ServiceAccount, with its rules. */
export function grantsOf(
  objects: K8sObject[],
  serviceAccount: string,
  saNamespace: string,
): Grant[] {
  const grants: Grant[] = [];
  for (const binding of objects.filter(
    o => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding',
  )) {
    const bound = (binding.subjects ?? []).some(
      (s: any) =>
        s.kind === 'ServiceAccount' &&
        s.name === serviceAccount &&
        s.namespace === saNamespace,
    );
    if (!bound) continue;
    const roleKind = binding.roleRef.kind as 'Role' | 'ClusterRole';
    const role = objects.find(
      o =>
        o.kind === roleKind &&
        o.metadata.name === binding.roleRef.name &&
        (roleKind === 'ClusterRole' ||
          o.metadata.namespace === binding.metadata.namespace),
    );
    if (!role)
      throw new Error(
        `${binding.kind} ${binding.metadata.name} refers to a missing ${roleKind}`,
      );
    grants.push({
      kind: roleKind,
      name: role.metadata.name,
      // A ClusterRole bound by a RoleBinding still applies in that namespace only.
      namespace:
        binding.kind === 'RoleBinding' ? binding.metadata.namespace : undefined,
      rules: (role.rules ?? []).map(normalizeRule),
    });
  }
  return grants.sort((a, b) =>
    `${a.namespace ?? ''}/${a.name}`.localeCompare(
      `${b.namespace ?? ''}/${b.name}`,
    ),
  );
}

/** All string values in an object tree, for "this text never appears here" checks. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...allStrings(v)]);
  }
  return [];
}

/** The agent container of the rendered Deployment. */
export function agentContainer(objects: K8sObject[]): any {
  const deployment = objects.find(o => o.kind === 'Deployment');
  if (!deployment) throw new Error('no Deployment rendered');
  return deployment.spec.template.spec.containers.find(
    (c: any) => c.name === 'agent',
  );
}

/** The agent container's plain env values (valueFrom entries map to undefined). */
export function deploymentEnv(
  objects: K8sObject[],
): Record<string, string | undefined> {
  const env: { name: string; value?: string }[] =
    agentContainer(objects).env ?? [];
  return Object.fromEntries(env.map(e => [e.name, e.value]));
}
