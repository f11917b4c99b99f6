import type { Knex } from 'knex';
import { ChangeCollector } from './ChangeCollector';
import { chunks, rowsPerInsert } from './batches';
import {
  contentHash,
  keyOf,
  ResourceRow,
  rowToLink,
  rowToResource,
  rowToStored,
  sameLink,
} from './resourceRows';
import type { LinkResolver, StoredGitOpsResource } from './types';

/** Resources read per page when every link is re-evaluated. */
const RELINK_PAGE = 1000;
const LINK_COLUMNS = [
  'link_status',
  'link_entity_ref',
  'link_candidates',
  'content_hash',
] as const;

/** Manual links are keyed by what names a resource, not its row id, so they survive snapshots. */
function manualLinkKey(row: ResourceRow) {
  return {
    tenant: row.tenant,
    cluster: row.cluster,
    tool: row.tool,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
  };
}

/**
 * The manual links of a tenant, by resource key; of one cluster when given, otherwise
 * keyed by cluster and resource key.
 */
export async function manualLinksOf(
  db: Knex,
  tenant: string,
  cluster?: string,
): Promise<Map<string, string>> {
  const query = db('gitops_manual_links').where({ tenant });
  if (cluster !== undefined) {
    query.andWhere({ cluster });
  }
  const rows = await query.select();
  return new Map(
    rows.map(r => [
      cluster === undefined ? `${r.cluster}\u0000${keyOf(r)}` : keyOf(r),
      r.entity_ref as string,
    ]),
  );
}

/** The row with its link decided afresh, content hash included. */
function relinked(
  row: ResourceRow,
  resolveLink: LinkResolver,
  manualEntityRef: string | undefined,
): ResourceRow {
  const resource = rowToResource(row);
  const link = resolveLink(resource, manualEntityRef);
  return {
    ...row,
    link_status: link.status,
    link_entity_ref: link.entityRef,
    link_candidates: JSON.stringify(link.candidates),
    content_hash: contentHash(resource, link),
  };
}

/** Links set by hand, and the re-evaluation of every link when the catalog changes. */
export class ManualLinkStore {
  constructor(private readonly db: Knex) {}

  async set(
    tenant: string,
    id: string,
    link: { entityRef: string; linkedBy: string; now: number },
    resolveLink: LinkResolver,
  ): Promise<StoredGitOpsResource | undefined> {
    const entityRef = link.entityRef.toLowerCase();
    return this.rewrite(tenant, id, resolveLink, entityRef, async (tx, row) => {
      await tx('gitops_manual_links')
        .insert({
          ...manualLinkKey(row),
          entity_ref: entityRef,
          linked_by: link.linkedBy,
          linked_at: link.now,
        })
        .onConflict(['tenant', 'cluster', 'tool', 'kind', 'namespace', 'name'])
        .merge();
    });
  }

  async remove(
    tenant: string,
    id: string,
    resolveLink: LinkResolver,
  ): Promise<StoredGitOpsResource | undefined> {
    return this.rewrite(tenant, id, resolveLink, undefined, async (tx, row) => {
      await tx('gitops_manual_links').where(manualLinkKey(row)).delete();
    });
  }

  /**
   * Re-evaluates the link of every resource in one transaction, writing the changed rows
   * in batches; returns how many changed, and which clusters and entities per tenant.
   */
  async relinkAll(
    resolveLink: LinkResolver,
  ): Promise<{ changed: number; changes: ChangeCollector }> {
    return this.db.transaction(async tx => {
      const changes = new ChangeCollector();
      let changed = 0;
      let after = '';
      const manualByTenant = new Map<string, Map<string, string>>();
      for (;;) {
        const rows: ResourceRow[] = await tx('gitops_resources')
          .where('id', '>', after)
          .orderBy('id')
          .limit(RELINK_PAGE);
        if (rows.length === 0) {
          break;
        }
        after = rows[rows.length - 1].id;
        const updates: ResourceRow[] = [];
        for (const row of rows) {
          let manual = manualByTenant.get(row.tenant);
          if (!manual) {
            manual = await manualLinksOf(tx, row.tenant);
            manualByTenant.set(row.tenant, manual);
          }
          const key = `${row.cluster}\u0000${keyOf(rowToResource(row))}`;
          const next = relinked(row, resolveLink, manual.get(key));
          if (!sameLink(rowToLink(next), rowToLink(row))) {
            updates.push(next);
            changes.add(
              row.tenant,
              row.cluster,
              row.link_entity_ref,
              next.link_entity_ref,
            );
          }
        }
        // Whole rows go in so the insert is valid; on the id conflict only the link is written.
        for (const batch of chunks(updates, rowsPerInsert(tx))) {
          await tx('gitops_resources')
            .insert(batch)
            .onConflict('id')
            .merge([...LINK_COLUMNS]);
        }
        changed += updates.length;
      }
      return { changed, changes };
    });
  }

  /** Changes the manual link of one resource and writes its new link, in one transaction. */
  private async rewrite(
    tenant: string,
    id: string,
    resolveLink: LinkResolver,
    manualEntityRef: string | undefined,
    change: (tx: Knex.Transaction, row: ResourceRow) => Promise<void>,
  ): Promise<StoredGitOpsResource | undefined> {
    return this.db.transaction(async tx => {
      const row: ResourceRow | undefined = await tx('gitops_resources')
        .where({ tenant, id })
        .first();
      if (!row) {
        return undefined;
      }
      await change(tx, row);
      const updated = relinked(row, resolveLink, manualEntityRef);
      await tx('gitops_resources')
        .where({ id: row.id })
        .update(Object.fromEntries(LINK_COLUMNS.map(c => [c, updated[c]])));
      return rowToStored(updated);
    });
  }
}
