import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The agent's Prometheus metrics, in their own registry (several agents may share a process in tests). */
export class AgentMetrics {
  readonly registry = new Registry();

  readonly watchEvents = new Counter({
    name: 'gitops_agent_watch_events_total',
    help: 'Watch events received, by kind and event type',
    labelNames: ['kind', 'type'] as const,
    registers: [this.registry],
  });
  readonly informerRestarts = new Counter({
    name: 'gitops_agent_informer_restarts_total',
    help: 'Informer restarts, by kind and reason (error, watchdog, gone)',
    labelNames: ['kind', 'namespace', 'reason'] as const,
    registers: [this.registry],
  });
  readonly informerSynced = new Gauge({
    name: 'gitops_agent_informer_synced',
    help: '1 when the informer has listed its kind since its last (re)start',
    labelNames: ['kind', 'namespace'] as const,
    registers: [this.registry],
  });
  readonly crdMissing = new Gauge({
    name: 'gitops_agent_crd_missing',
    help: '1 while the CRD of a watched kind is not installed',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly pushes = new Counter({
    name: 'gitops_agent_pushes_total',
    help: 'Successful pushes to the backend, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly pushFailures = new Counter({
    name: 'gitops_agent_push_failures_total',
    help: 'Failed pushes to the backend, by HTTP status or network',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly bufferObjects = new Gauge({
    name: 'gitops_agent_buffer_objects',
    help: 'Objects with a pending change in the coalescing buffer',
    registers: [this.registry],
  });
  readonly bufferOverflows = new Counter({
    name: 'gitops_agent_buffer_overflows_total',
    help: 'Times the buffer exceeded its bound and was replaced by a full snapshot',
    registers: [this.registry],
  });
  readonly lastSuccessfulPush = new Gauge({
    name: 'gitops_agent_last_successful_push_timestamp_seconds',
    help: 'Unix time of the last push the backend accepted',
    registers: [this.registry],
  });
  readonly watchedObjects = new Gauge({
    name: 'gitops_agent_watched_objects',
    help: 'GitOps resources currently known to the agent',
    registers: [this.registry],
  });
  readonly commands = new Counter({
    name: 'gitops_agent_commands_total',
    help: 'Commands executed, by type and outcome',
    labelNames: ['type', 'status'] as const,
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'gitops_agent_is_leader',
    help: '1 while this replica holds the leader Lease (or leader election is off)',
    registers: [this.registry],
  });

  /** Adds process metrics (memory, CPU, event loop); once per real process. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry, prefix: 'gitops_agent_' });
  }

  /** Current value of a counter or gauge with the given labels (tests and readiness). */
  async value(
    name: string,
    labels: Record<string, string> = {},
  ): Promise<number> {
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return 0;
    const { values } = await metric.get();
    return values
      .filter(v =>
        Object.entries(labels).every(([k, l]) => (v.labels as any)[k] === l),
      )
      .reduce((sum, v) => sum + v.value, 0);
  }
}
