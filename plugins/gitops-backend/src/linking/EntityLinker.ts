import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { LINKABLE_KINDS } from '@shoehorn/plugin-gitops-common';
import type { LinkResolver } from '../database/types';
import { EntityIndex, type NameMatchScope } from './EntityIndex';

/** Keeps the catalog index that automatic linking reads, refreshed from the catalog. */
export class EntityLinker {
  private index = EntityIndex.empty;
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      nameMatch: NameMatchScope;
    },
  ) {}

  /** Reads the catalog; returns true when the set of linkable entities changed. */
  async refresh(): Promise<boolean> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: LINKABLE_KINDS.map(kind => ({ kind })),
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    const next = EntityIndex.fromEntities(items, this.deps.nameMatch);
    const changed = next.fingerprint !== this.index.fingerprint;
    this.index = next;
    return changed;
  }

  /** The resolver over the current index; the first call loads it (a failing catalog leaves it empty). */
  async resolver(): Promise<LinkResolver> {
    await this.loadOnce();
    const index = this.index;
    return (resource, manualEntityRef) =>
      index.resolve(resource, manualEntityRef);
  }

  private async loadOnce(): Promise<void> {
    if (!this.loaded) {
      this.loaded = this.refresh().then(
        () => undefined,
        error => {
          this.loaded = undefined;
          this.deps.logger.warn(
            `Could not read the catalog for linking: ${error}`,
          );
        },
      );
    }
    await this.loaded;
  }
}
