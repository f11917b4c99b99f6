import { randomUUID } from 'node:crypto';
import {
  AgentInfo,
  GitOpsResource,
  MAX_PUSH_BYTES,
  PushRequest,
} from '@shoehorn/plugin-gitops-common';
import { isSessionSuperseded } from '../backend/BackendClient';
import { AgentError, httpStatusOf } from '../errors/AgentError';
import type { Logger } from '../logging/Logger';
import type { AgentMetrics } from '../ops/AgentMetrics';
import { Backoff, Wakeup } from '../retry/backoff';
import type { CoalescingBuffer } from './CoalescingBuffer';

/** Sends a push; the backend client in production. */
export interface PushTransport {
  push(body: PushRequest): Promise<{ applied: number }>;
}

/** Tunables of the sender. */
export interface PushSenderOptions {
  flushIntervalMs: number;
  flushMaxObjects: number;
  snapshotIntervalMs: number;
  heartbeatIntervalMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Largest body sent; snapshots above it are split into parts. */
  maxPushBytes?: number;
}

// Room for the envelope (agent info, seq, type, parts) around the records.
const ENVELOPE_BYTES = 16 * 1024;

/**
 * Drains the coalescing buffer into delta pushes and sends full snapshots: at start, after
 * every failed push (a reconnect), when the buffer overflowed, and periodically. A failed
 * delta is never retried as such: the next snapshot, taken from the inventory at send
 * time, carries the latest state of every object, so nothing newer is ever lost.
 *
 * Each leadership term, and each answer that a newer session superseded this one, begins a
 * new session (fresh id, seq from 1, a snapshot first). Being superseded again and again
 * (two senders without leader election) waits ever longer, never a tight loop.
 */
export class PushSender {
  private readonly wakeup = new Wakeup();
  private readonly backoff: Backoff;
  private readonly supersededBackoff: Backoff;
  private currentSession: string;
  private snapshotsInSession = 0;
  private running = false;
  private loop?: Promise<void>;
  private needSnapshot = true;
  private seq = 0;
  private lastPushAt = 0;
  private infoChanged = false;
  private lastSnapshotAt = 0;
  private lastSuccessAt?: number;
  private lastFailure?: { message: string; retryable: boolean };
  private enabled = true;

  constructor(
    private readonly transport: PushTransport,
    private readonly buffer: CoalescingBuffer,
    private readonly inventory: { snapshot(): GitOpsResource[] },
    private readonly agent: AgentInfo,
    private readonly options: PushSenderOptions,
    /** Whether the inventory reflects the cluster (every informer listed once). */
    private readonly sourcesReady: () => boolean,
    private readonly log: Logger,
    private readonly metrics?: AgentMetrics,
  ) {
    this.backoff = new Backoff(options.backoffMinMs, options.backoffMaxMs);
    this.supersededBackoff = new Backoff(
      options.backoffMinMs,
      options.backoffMaxMs,
    );
    this.currentSession = agent.session;
  }

  /** The session the sender pushes in now. */
  get session(): string {
    return this.currentSession;
  }

  /** Unix ms of the last accepted push. */
  get lastSuccess(): number | undefined {
    return this.lastSuccessAt;
  }

  get lastError(): string | undefined {
    return this.lastFailure?.message;
  }

  /** Whether the last failed push may succeed when retried (false: refused, e.g. 401 or 413). */
  get lastErrorRetryable(): boolean {
    return this.lastFailure?.retryable ?? true;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeup.wake();
    await this.loop;
  }

  /** Pauses or resumes sending (leader election); resuming sends a snapshot first. */
  setEnabled(enabled: boolean): void {
    if (enabled && !this.enabled) this.beginSession();
    this.enabled = enabled;
    this.wakeup.wake();
  }

  /** Tells the sender the agent info changed (a kind's watch state): the next step pushes it. */
  announceInfo(): void {
    this.infoChanged = true;
    this.wakeup.wake();
  }

  /** Tells the sender the buffer changed (it may flush early when full enough). */
  notify(): void {
    if (this.buffer.size >= this.options.flushMaxObjects) this.wakeup.wake();
    else if (this.buffer.size === 1) this.wakeup.wake();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const waitMs = await this.step();
      if (!this.running) break;
      await this.wakeup.wait(waitMs);
    }
  }

  /** Does at most one unit of work; returns how long to sleep before the next. */
  private async step(): Promise<number> {
    const now = Date.now();
    if (!this.enabled) {
      this.buffer.clear();
      return this.options.heartbeatIntervalMs;
    }
    if (this.buffer.takeOverflow()) {
      this.metrics?.bufferOverflows.inc();
      this.log.warn(
        'buffer bound exceeded; sending a full snapshot instead of deltas',
      );
      this.needSnapshot = true;
    }
    if (
      !this.needSnapshot &&
      this.lastSnapshotAt &&
      now - this.lastSnapshotAt >= this.options.snapshotIntervalMs
    ) {
      this.needSnapshot = true;
    }
    if (this.needSnapshot) {
      if (!this.sourcesReady()) return 200;
      return this.attempt(() => this.sendSnapshot());
    }
    const due =
      this.buffer.size > 0 &&
      (this.buffer.size >= this.options.flushMaxObjects ||
        this.buffer.ageMs() >= this.options.flushIntervalMs);
    if (due) {
      return this.attempt(() => this.sendDelta());
    }
    if (
      this.infoChanged ||
      now - this.lastPushAt >= this.options.heartbeatIntervalMs
    ) {
      return this.attempt(() => this.sendDelta());
    }
    const untilFlush =
      this.buffer.size > 0
        ? this.options.flushIntervalMs - this.buffer.ageMs()
        : Infinity;
    const untilHeartbeat =
      this.options.heartbeatIntervalMs - (now - this.lastPushAt);
    const untilSnapshot =
      this.options.snapshotIntervalMs - (now - this.lastSnapshotAt);
    return Math.max(10, Math.min(untilFlush, untilHeartbeat, untilSnapshot));
  }

  /** A new session: a fresh id and seq, and a snapshot as its first push. */
  private beginSession(): void {
    this.currentSession = randomUUID();
    this.seq = 0;
    this.snapshotsInSession = 0;
    this.needSnapshot = true;
  }

  private async attempt(send: () => Promise<void>): Promise<number> {
    try {
      await send();
      this.backoff.reset();
      this.lastFailure = undefined;
      return 0;
    } catch (e) {
      if (isSessionSuperseded(e)) return this.superseded(e);
      const status = httpStatusOf(e);
      this.metrics?.pushFailures.inc({
        reason: status ? String(status) : 'network',
      });
      const retryable = !(e instanceof AgentError) || e.retryable;
      this.lastFailure = { message: (e as Error).message, retryable };
      // Whatever was in flight may be lost: resynchronise with a full snapshot.
      this.needSnapshot = true;
      const delay = this.backoff.next();
      const log =
        this.backoff.attempts <= 1 || !retryable
          ? this.log.warn
          : this.log.debug;
      log('push failed; will send a snapshot', {
        error: this.lastFailure.message,
        retryInMs: delay,
      });
      return delay;
    }
  }

  /** Another session of this cluster and tool began after this one: start over, later. */
  private superseded(error: AgentError): number {
    this.metrics?.pushFailures.inc({ reason: 'superseded' });
    this.lastFailure = { message: error.message, retryable: true };
    const delay = this.supersededBackoff.next();
    this.log.warn(
      'session superseded by a newer session of this cluster; starting a new session with a snapshot',
      { session: this.currentSession, retryInMs: delay },
    );
    this.buffer.clear();
    this.beginSession();
    return delay;
  }

  private envelope(
    type: 'snapshot' | 'delta',
  ): Omit<PushRequest, 'upserts' | 'deletes'> {
    return {
      agent: { ...this.agent, session: this.currentSession },
      seq: this.seq,
      type,
    };
  }

  private async sendDelta(): Promise<void> {
    const limit =
      (this.options.maxPushBytes ?? MAX_PUSH_BYTES) - ENVELOPE_BYTES;
    const batch = this.buffer.take(this.options.flushMaxObjects, limit);
    this.seq += 1;
    await this.transport.push({ ...this.envelope('delta'), ...batch });
    this.succeeded('delta');
  }

  private async sendSnapshot(): Promise<void> {
    // Taking the snapshot and clearing the buffer happen in one tick: nothing slips between.
    const records = this.inventory.snapshot();
    this.buffer.clear();
    this.needSnapshot = false;
    const parts = splitIntoParts(
      records,
      (this.options.maxPushBytes ?? MAX_PUSH_BYTES) - ENVELOPE_BYTES,
    );
    this.seq += 1;
    try {
      for (let i = 0; i < parts.length; i++) {
        const body: PushRequest = {
          ...this.envelope('snapshot'),
          upserts: parts[i],
          deletes: [],
        };
        if (parts.length > 1)
          Object.assign(body, { part: i + 1, parts: parts.length });
        await this.transport.push(body);
      }
    } catch (e) {
      this.needSnapshot = true;
      throw e;
    }
    this.lastSnapshotAt = Date.now();
    // A periodic snapshot in the same session: no other sender is contending any more.
    if (++this.snapshotsInSession > 1) this.supersededBackoff.reset();
    this.log.info('snapshot sent', {
      objects: records.length,
      parts: parts.length,
      session: this.currentSession,
      seq: this.seq,
    });
    this.succeeded('snapshot');
  }

  private succeeded(type: 'snapshot' | 'delta'): void {
    this.lastPushAt = Date.now();
    this.infoChanged = false;
    this.lastSuccessAt = this.lastPushAt;
    this.metrics?.pushes.inc({ type });
    this.metrics?.lastSuccessfulPush.set(this.lastPushAt / 1000);
  }
}

/** Splits records into groups whose JSON stays under `maxBytes` (always at least one group). */
export function splitIntoParts(
  records: GitOpsResource[],
  maxBytes: number,
): GitOpsResource[][] {
  const parts: GitOpsResource[][] = [[]];
  let bytes = 0;
  for (const record of records) {
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    const current = parts[parts.length - 1];
    if (current.length > 0 && bytes + size > maxBytes) {
      parts.push([record]);
      bytes = size;
    } else {
      current.push(record);
      bytes += size;
    }
  }
  return parts;
}
