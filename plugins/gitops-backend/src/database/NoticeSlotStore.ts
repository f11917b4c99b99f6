import type { Knex } from 'knex';

/**
 * One change-notice slot per tenant per interval, shared by every replica: a replica may
 * send when it takes the slot; otherwise it learns when the slot frees.
 */
export class NoticeSlotStore {
  constructor(private readonly db: Knex) {}

  /** Takes the tenant's slot at `now` (true), or answers when it frees. */
  async take(
    tenant: string,
    now: number,
    intervalMs: number,
  ): Promise<true | { freeAt: number }> {
    const taken = await this.db('gitops_notice_slots')
      .insert({ tenant, sent_at: now })
      .onConflict('tenant')
      .merge()
      .where('gitops_notice_slots.sent_at', '<=', now - intervalMs)
      .returning('tenant');
    if (taken.length > 0) {
      return true;
    }
    const row = await this.db('gitops_notice_slots')
      .where({ tenant })
      .first('sent_at');
    return { freeAt: Number(row?.sent_at ?? now) + intervalMs };
  }
}
