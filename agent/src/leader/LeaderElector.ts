import {
  CoordinationV1Api,
  KubeConfig,
  V1Lease,
  V1MicroTime,
} from '@kubernetes/client-node';
import { httpStatusOf } from '../errors/AgentError';
import type { Logger } from '../logging/Logger';
import { sleep } from '../retry/backoff';

/** Tunables of leader election. */
export interface LeaderElectionOptions {
  namespace: string;
  leaseName: string;
  identity: string;
  leaseDurationSeconds: number;
}

/**
 * Lease-based leader election (coordination.k8s.io/v1): one replica holds the Lease and
 * renews it; others take it over once it has not been renewed for its duration. A replica
 * that stops gracefully releases the Lease so another takes over at its next try.
 */
export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private running = false;
  private leader = false;
  private loop?: Promise<void>;
  private abort = new AbortController();
  private lastRenewAt = 0;

  constructor(
    kubeConfig: KubeConfig,
    private readonly options: LeaderElectionOptions,
    private readonly onChange: (leader: boolean) => void,
    private readonly log: Logger,
  ) {
    this.api = kubeConfig.makeApiClient(CoordinationV1Api);
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  /** Stops campaigning; releases the Lease when held. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
    if (this.leader) {
      this.setLeader(false);
      await this.release().catch(e =>
        this.log.warn('could not release the lease', { error: e }),
      );
    }
  }

  private get durationMs() {
    return this.options.leaseDurationSeconds * 1000;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const held = await this.tryAcquireOrRenew();
        if (held) this.lastRenewAt = Date.now();
        this.setLeader(held);
      } catch (e) {
        this.log.warn('leader election attempt failed', {
          error: (e as Error).message,
        });
        // A leader that cannot renew steps down before another replica may take over.
        if (
          this.leader &&
          Date.now() - this.lastRenewAt > this.durationMs * 0.8
        )
          this.setLeader(false);
      }
      const period = this.leader ? this.durationMs / 3 : this.durationMs / 5;
      await sleep(period, this.abort.signal);
    }
  }

  private setLeader(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.log.info(leader ? 'became leader' : 'no longer leader', {
      lease: this.options.leaseName,
    });
    this.onChange(leader);
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const {
      namespace,
      leaseName: name,
      identity,
      leaseDurationSeconds,
    } = this.options;
    const now = new V1MicroTime();
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (e) {
      if (httpStatusOf(e) !== 404) throw e;
      try {
        await this.api.createNamespacedLease({
          namespace,
          body: {
            metadata: { name, namespace },
            spec: {
              holderIdentity: identity,
              leaseDurationSeconds,
              acquireTime: now,
              renewTime: now,
              leaseTransitions: 0,
            },
          },
        });
        return true;
      } catch (err) {
        if (httpStatusOf(err) === 409) return false;
        throw err;
      }
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity;
    const renewedAt = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
    const duration = (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
    const expired = !holder || Date.now() > renewedAt + duration;
    if (holder !== identity && !expired) return false;
    const takeover = holder !== identity;
    lease.spec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds,
      renewTime: now,
      acquireTime: takeover ? now : spec.acquireTime,
      leaseTransitions: (spec.leaseTransitions ?? 0) + (takeover ? 1 : 0),
    };
    try {
      await this.api.replaceNamespacedLease({ name, namespace, body: lease });
      return true;
    } catch (e) {
      if (httpStatusOf(e) === 409) return false;
      throw e;
    }
  }

  private async release(): Promise<void> {
    const { namespace, leaseName: name, identity } = this.options;
    const lease = await this.api.readNamespacedLease({ name, namespace });
    if (lease.spec?.holderIdentity !== identity) return;
    lease.spec = {
      ...lease.spec,
      holderIdentity: undefined,
      renewTime: undefined,
    };
    await this.api.replaceNamespacedLease({ name, namespace, body: lease });
  }
}
