import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  GitOpsResource,
  ResourceLink,
} from '@shoehorn/plugin-gitops-common';

interface IndexedEntity {
  kind: string;
  ref: string;
}

/** The catalog entities that automatic links can point at, looked up by name. */
export class EntityIndex {
  static readonly empty = new EntityIndex([]);

  static fromEntities(
    entities: Array<{
      kind: string;
      metadata: { name: string; namespace?: string };
    }>,
  ): EntityIndex {
    return new EntityIndex(
      entities.map(e => ({
        kind: e.kind.toLowerCase(),
        ref: stringifyEntityRef({
          kind: e.kind,
          namespace: e.metadata.namespace ?? 'default',
          name: e.metadata.name,
        }).toLowerCase(),
        name: e.metadata.name.toLowerCase(),
      })),
    );
  }

  private readonly byName = new Map<string, IndexedEntity[]>();
  private readonly refs = new Set<string>();
  /** Changes whenever the set of entities changes. */
  readonly fingerprint: string;

  private constructor(entities: Array<IndexedEntity & { name: string }>) {
    for (const entity of entities) {
      this.refs.add(entity.ref);
      const list = this.byName.get(entity.name) ?? [];
      list.push({ kind: entity.kind, ref: entity.ref });
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

  /** The best matches for a name: Components if any, else every linkable kind. */
  bestMatches(name: string): string[] {
    const all = this.byName.get(name.toLowerCase()) ?? [];
    const components = all.filter(e => e.kind === 'component');
    return (components.length > 0 ? components : all).map(e => e.ref).sort();
  }

  /**
   * The link of a resource. Order: manual override; the shoehorn.dev/entity annotation
   * (a full entity ref, or a service id = entity name); the resource name. Several equal
   * candidates make it ambiguous, never a guess. An annotation that names nothing in the
   * catalog falls through to the name rule.
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
    return (
      this.byNameLink(resource.name, 'name') ?? {
        status: 'unlinked',
        entityRef: null,
        candidates: [],
      }
    );
  }

  private byNameLink(
    name: string,
    status: 'annotation' | 'name',
  ): ResourceLink | undefined {
    const matches = this.bestMatches(name);
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
