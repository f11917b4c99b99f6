import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  GitOpsResource,
  ResourceLink,
} from '@shoehorn/plugin-gitops-common';

interface IndexedEntity {
  kind: string;
  namespace: string;
  ref: string;
}

/** Where the name rule looks: these namespaces (lower case), or nowhere. */
export type NameMatchScope = string[] | false;

/** The catalog entities that automatic links can point at, looked up by name. */
export class EntityIndex {
  static readonly empty = new EntityIndex([], false);

  static fromEntities(
    entities: Array<{
      kind: string;
      metadata: { name: string; namespace?: string };
    }>,
    nameMatch: NameMatchScope = ['default'],
  ): EntityIndex {
    return new EntityIndex(
      entities.map(e => ({
        kind: e.kind.toLowerCase(),
        namespace: (e.metadata.namespace ?? 'default').toLowerCase(),
        ref: stringifyEntityRef({
          kind: e.kind,
          namespace: e.metadata.namespace ?? 'default',
          name: e.metadata.name,
        }).toLowerCase(),
        name: e.metadata.name.toLowerCase(),
      })),
      nameMatch,
    );
  }

  private readonly byName = new Map<string, IndexedEntity[]>();
  private readonly refs = new Set<string>();
  /** Changes whenever the set of entities changes. */
  readonly fingerprint: string;

  private constructor(
    entities: Array<IndexedEntity & { name: string }>,
    private readonly nameMatch: NameMatchScope,
  ) {
    for (const entity of entities) {
      this.refs.add(entity.ref);
      const list = this.byName.get(entity.name) ?? [];
      list.push({
        kind: entity.kind,
        namespace: entity.namespace,
        ref: entity.ref,
      });
      this.byName.set(entity.name, list);
    }
    this.fingerprint = [...this.refs].sort().join('\n');
  }

  get size(): number {
    return this.refs.size;
  }

  has(ref: string): boolean {
    return this.refs.has(ref.toLowerCase());
  }

  /** The best matches for a name: Components if any, else every linkable kind; optionally within namespaces. */
  bestMatches(name: string, namespaces?: string[]): string[] {
    const all = (this.byName.get(name.toLowerCase()) ?? []).filter(
      e => !namespaces || namespaces.includes(e.namespace),
    );
    const components = all.filter(e => e.kind === 'component');
    return (components.length > 0 ? components : all).map(e => e.ref).sort();
  }

  /**
   * The link of a resource. Order: manual override; the shoehorn.dev/entity annotation
   * (a full entity ref, or a service id = entity name); the resource name, searched only in
   * the configured namespaces (`gitops.linking.nameMatch`), since anyone who can register an
   * entity can claim a name. Several equal candidates make it ambiguous, never a guess. An
   * annotation that names nothing in the catalog falls through to the name rule.
   */
  resolve(
    resource: Pick<GitOpsResource, 'name' | 'entityAnnotation'>,
    manualEntityRef: string | undefined,
  ): ResourceLink {
    if (manualEntityRef) {
      return { status: 'manual', entityRef: manualEntityRef, candidates: [] };
    }
    const annotation = resource.entityAnnotation?.trim();
    if (annotation) {
      if (/[:/]/.test(annotation)) {
        const ref = toEntityRef(annotation);
        if (ref && this.has(ref)) {
          return { status: 'annotation', entityRef: ref, candidates: [] };
        }
      } else {
        const byAnnotation = this.byNameLink(annotation, 'annotation');
        if (byAnnotation) {
          return byAnnotation;
        }
      }
    }
    const byName =
      this.nameMatch === false
        ? undefined
        : this.byNameLink(resource.name, 'name', this.nameMatch);
    return byName ?? { status: 'unlinked', entityRef: null, candidates: [] };
  }

  private byNameLink(
    name: string,
    status: 'annotation' | 'name',
    namespaces?: string[],
  ): ResourceLink | undefined {
    const matches = this.bestMatches(name, namespaces);
    if (matches.length === 1) {
      return { status, entityRef: matches[0], candidates: [] };
    }
    if (matches.length > 1) {
      return { status: 'ambiguous', entityRef: null, candidates: matches };
    }
    return undefined;
  }
}

/** Parses a full or shorthand entity ref into its lower-case canonical form. */
export function toEntityRef(value: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    ).toLowerCase();
  } catch {
    return undefined;
  }
}
