import type { Knex } from 'knex';
import type { AlertCondition, AlertState } from './ownerAlerts';

const TABLE = 'gitops_owner_alerts';

/** The stored alert of one linked resource, with the version its next write must match. */
export interface StoredOwnerAlert {
  resourceId: string;
  entityRef: string;
  cluster: string;
  resourceName: string;
  state: AlertState;
  version: number;
}

interface AlertRow {
  resource_id: string;
  entity_ref: string;
  cluster: string;
  resource_name: string;
  condition: string | null;
  condition_since: string | number;
  notified: string | null;
  version: number;
}

/**
 * Alerts per linked resource. Every write is conditional on the version read, so of two
 * replicas evaluating the same change only one writes it, and only that one notifies.
 */
export class OwnerAlertStore {
  constructor(private readonly db: Knex) {}

  async list(tenant: string): Promise<Map<string, StoredOwnerAlert>> {
    const rows: AlertRow[] = await this.db(TABLE).where({ tenant });
    return new Map(
      rows.map(row => [
        row.resource_id,
        {
          resourceId: row.resource_id,
          entityRef: row.entity_ref,
          cluster: row.cluster,
          resourceName: row.resource_name,
          state: {
            condition: row.condition as AlertCondition | null,
            since: Number(row.condition_since),
            notified: row.notified as AlertCondition | null,
          },
          version: row.version,
        },
      ]),
    );
  }

  /**
   * Writes the alert if nobody wrote it since `expectedVersion` was read (undefined: it did
   * not exist). Returns whether this call won; an alert with nothing open is deleted.
   */
  async save(
    tenant: string,
    alert: Omit<StoredOwnerAlert, 'version'>,
    expectedVersion: number | undefined,
  ): Promise<boolean> {
    const key = { tenant, resource_id: alert.resourceId };
    const idle =
      alert.state.condition === null && alert.state.notified === null;
    if (expectedVersion === undefined) {
      if (idle) {
        return false;
      }
      const inserted = await this.db(TABLE)
        .insert({ ...key, ...this.columns(alert), version: 1 })
        .onConflict(['tenant', 'resource_id'])
        .ignore()
        .returning('resource_id');
      return inserted.length === 1;
    }
    const current = this.db(TABLE).where({ ...key, version: expectedVersion });
    const changed = idle
      ? await current.delete()
      : await current.update({
          ...this.columns(alert),
          version: expectedVersion + 1,
        });
    return changed === 1;
  }

  private columns(alert: Omit<StoredOwnerAlert, 'version'>) {
    return {
      entity_ref: alert.entityRef,
      cluster: alert.cluster,
      resource_name: alert.resourceName,
      condition: alert.state.condition,
      condition_since: alert.state.since,
      notified: alert.state.notified,
    };
  }
}
