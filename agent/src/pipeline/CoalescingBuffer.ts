import {
  GitOpsResource,
  GitOpsResourceKey,
  resourceKeyString,
} from '@shoehorn/plugin-gitops-common';

/** A pending change of one object: its latest state, or its removal. */
export type PendingChange =
  | { op: 'upsert'; resource: GitOpsResource }
  | { op: 'delete'; key: GitOpsResourceKey };

/** A batch taken from the buffer for one delta push. */
export interface ChangeBatch {
  upserts: GitOpsResource[];
  deletes: GitOpsResourceKey[];
}

/**
 * Latest pending change per object. A newer state replaces an older one; a delete replaces
 * a pending upsert. Bounded by object count: past the bound the buffer empties itself and
 * reports an overflow, and the sender replaces the lost deltas with a full snapshot.
 */
export class CoalescingBuffer {
  private readonly pending = new Map<string, PendingChange>();
  private oldestAt?: number;
  private overflowed = false;

  constructor(
    private readonly maxObjects: number,
    private readonly onChange: (
      size: number,
      overflow: boolean,
    ) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  upsert(resource: GitOpsResource): void {
    this.put(resourceKeyString(resource), { op: 'upsert', resource });
  }

  delete(key: GitOpsResourceKey): void {
    const { tool, kind, namespace, name } = key;
    this.put(resourceKeyString(key), {
      op: 'delete',
      key: { tool, kind, namespace, name },
    });
  }

  private put(key: string, change: PendingChange): void {
    if (!this.pending.has(key) && this.pending.size >= this.maxObjects) {
      this.pending.clear();
      this.oldestAt = undefined;
      this.overflowed = true;
      this.onChange(0, true);
      return;
    }
    if (this.pending.size === 0) this.oldestAt = this.now();
    this.pending.set(key, change);
    this.onChange(this.pending.size, false);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Milliseconds since the oldest pending change arrived (0 when empty). */
  ageMs(): number {
    return this.oldestAt === undefined ? 0 : this.now() - this.oldestAt;
  }

  /** Whether changes were discarded since the last call (a snapshot must follow). */
  takeOverflow(): boolean {
    const o = this.overflowed;
    this.overflowed = false;
    return o;
  }

  /** Removes and returns up to `max` changes (oldest first) whose JSON fits `maxBytes`. */
  take(max: number, maxBytes = Number.MAX_SAFE_INTEGER): ChangeBatch {
    const batch: ChangeBatch = { upserts: [], deletes: [] };
    let bytes = 0;
    let count = 0;
    for (const [key, change] of this.pending) {
      if (count >= max) break;
      const size = Buffer.byteLength(
        JSON.stringify(change.op === 'upsert' ? change.resource : change.key),
      );
      if (count > 0 && bytes + size > maxBytes) break;
      bytes += size + 1;
      count += 1;
      this.pending.delete(key);
      if (change.op === 'upsert') batch.upserts.push(change.resource);
      else batch.deletes.push(change.key);
    }
    this.oldestAt = this.pending.size > 0 ? this.now() : undefined;
    this.onChange(this.pending.size, false);
    return batch;
  }

  /** Drops every pending change (a snapshot of the current state supersedes them). */
  clear(): void {
    this.pending.clear();
    this.oldestAt = undefined;
    this.onChange(0, false);
  }
}
