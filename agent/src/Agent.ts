import { randomUUID } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  ARGO_APP_PROJECT_KIND,
  WATCHED_KINDS,
  type AgentCapabilities,
  type AgentInfo,
  type InformedKind,
} from '@shoehorn/plugin-gitops-common';
import { BackendClient } from './backend/BackendClient';
import { ArgoCdCommands } from './commands/ArgoCdCommands';
import { CommandExecutor, readOnlyExecutor } from './commands/CommandExecutor';
import { CommandPoller } from './commands/CommandPoller';
import { toolCapabilities } from './commands/capabilities';
import { FluxCommands } from './commands/FluxCommands';
import type { AgentConfig, NamespaceSelection } from './config/AgentConfig';
import { LeaderElector } from './leader/LeaderElector';
import { createLogger, Logger } from './logging/Logger';
import { AgentMetrics } from './ops/AgentMetrics';
import { OpsServer, ReadinessReport } from './ops/OpsServer';
import { CoalescingBuffer } from './pipeline/CoalescingBuffer';
import { PushSender, PushSenderOptions } from './pipeline/PushSender';
import { ResourceInformer } from './watch/ResourceInformer';
import { ResourceInventory } from './watch/ResourceInventory';
import { kindReport } from './watch/kindReport';
import { AGENT_VERSION } from './version';

/** What the agent needs besides its configuration. */
export interface AgentDependencies {
  kubeConfig: KubeConfig;
  log?: Logger;
  /** Serve /healthz, /readyz, /metrics on config.httpPort (default true). */
  serveOps?: boolean;
}

/** What the agent may do with each command type, from its configuration. */
export function capabilitiesOf(config: AgentConfig): AgentCapabilities {
  const can =
    config.commandsEnabled &&
    (config.tool === 'fluxcd' ||
      !!(config.argocdToken && config.argocdServerUrl));
  return toolCapabilities(config.tool, can);
}

/** Only the named settings: a stage never sees the tokens it does not send. */
function pick<K extends keyof AgentConfig>(
  config: AgentConfig,
  keys: K[],
): Pick<AgentConfig, K> {
  return Object.fromEntries(keys.map(k => [k, config[k]])) as Pick<
    AgentConfig,
    K
  >;
}

function senderOptions(config: AgentConfig): PushSenderOptions {
  return pick(config, [
    'flushIntervalMs',
    'flushMaxObjects',
    'snapshotIntervalMs',
    'heartbeatIntervalMs',
    'backoffMinMs',
    'backoffMaxMs',
  ]);
}

/**
 * The in-cluster agent: informers → inventory (normalize) → coalescing buffer → push sender,
 * a command poller, Lease leader election, and the operations endpoints.
 */
export class Agent {
  /** This process, in the Lease and the logs; push sessions change (see PushSender). */
  readonly instance = randomUUID();
  readonly metrics = new AgentMetrics();
  readonly log: Logger;
  readonly inventory: ResourceInventory;
  readonly buffer: CoalescingBuffer;
  readonly sender: PushSender;
  readonly commands: CommandPoller;
  readonly informers: ResourceInformer<InformedKind>[];
  readonly info: AgentInfo;
  private readonly ops?: OpsServer;
  private readonly elector?: LeaderElector;
  private readonly listed = new Set<ResourceInformer<InformedKind>>();
  private opsPort?: number;
  private readonly startedAt = Date.now();
  private announcedKinds?: string;

  constructor(readonly config: AgentConfig, deps: AgentDependencies) {
    this.log =
      deps.log ?? createLogger(config.logLevel, { component: 'gitops-agent' });
    this.log = this.log.child({
      instance: this.instance,
      ...(config.clusterName ? { cluster: config.clusterName } : {}),
    });
    const client = new BackendClient(config.backendUrl, config.agentToken, {
      tool: config.tool,
    });
    const informers = () => this.informers;
    this.info = {
      version: AGENT_VERSION,
      session: this.instance,
      tool: config.tool,
      capabilities: capabilitiesOf(config),
      // Read as each push is built, so every push (heartbeats too) says how each kind is watched.
      get kinds() {
        return kindReport(informers());
      },
    };
    this.buffer = new CoalescingBuffer(config.bufferMaxObjects, size => {
      this.metrics.bufferObjects.set(size);
      this.sender?.notify();
    });
    this.inventory = new ResourceInventory(
      this.buffer,
      this.log.child({ stage: 'inventory' }),
      size => this.metrics.watchedObjects.set(size),
    );
    this.sender = new PushSender(
      client,
      this.buffer,
      this.inventory,
      this.info,
      senderOptions(config),
      () => this.informers.every(i => this.listed.has(i) || i.unavailable),
      this.log.child({ stage: 'sender' }),
      this.metrics,
    );

    const namespaces: NamespaceSelection =
      config.tool === 'argocd'
        ? config.argocdNamespaces
        : config.fluxNamespaces;
    const informerOptions = pick(config, [
      'backoffMinMs',
      'backoffMaxMs',
      'watchdogMs',
      'crdRetryMs',
    ]);
    this.informers = [];
    for (const kind of WATCHED_KINDS.filter(k => k.tool === config.tool)) {
      const targets = namespaces.all ? [undefined] : namespaces.names;
      for (const ns of targets) {
        this.informers.push(
          new ResourceInformer(
            deps.kubeConfig,
            kind,
            ns,
            {
              upsert: (k, obj) => this.inventory.upsert(k, obj),
              remove: (k, n, name) => this.inventory.remove(k, n, name),
              synced: informer => this.listed.add(informer),
              stateChanged: () => this.announceKindsIfChanged(),
            },
            informerOptions,
            this.log.child({ stage: 'informer' }),
            this.metrics,
          ),
        );
      }
    }

    if (config.tool === 'argocd') {
      // ArgoCD reads an app's project in its control-plane namespace. Optional: without read
      // access the agent works on, and the Applications carry no sync windows.
      this.informers.push(
        new ResourceInformer(
          deps.kubeConfig,
          ARGO_APP_PROJECT_KIND,
          config.argocdControlPlaneNamespace,
          {
            upsert: (_kind, obj) => this.inventory.upsertProject(obj),
            remove: (_kind, _namespace, name) =>
              this.inventory.removeProject(name),
            synced: informer => this.listed.add(informer),
            stateChanged: () => this.announceKindsIfChanged(),
          },
          { ...informerOptions, optional: true },
          this.log.child({ stage: 'informer' }),
          this.metrics,
        ),
      );
    }

    let executor: CommandExecutor = readOnlyExecutor;
    if (!config.commandsEnabled) {
      // Commands switched off: never write, whatever credentials are mounted.
    } else if (config.tool === 'fluxcd') {
      executor = new FluxCommands(
        deps.kubeConfig,
        config.fluxReconcileWaitMs,
        undefined,
        kind =>
          this.informers.find(i => i.kind.kind === kind && i.version)?.version,
      );
    } else if (config.argocdToken && config.argocdServerUrl) {
      executor = new ArgoCdCommands({
        serverUrl: config.argocdServerUrl,
        token: config.argocdToken,
        controlPlaneNamespace: config.argocdControlPlaneNamespace,
      });
    }
    this.commands = new CommandPoller(
      client,
      executor,
      config.commandPollWaitSeconds,
      { minMs: config.backoffMinMs, maxMs: config.backoffMaxMs },
      this.log.child({ stage: 'commands' }),
      this.metrics,
    );

    if (config.leaderElection) {
      this.elector = new LeaderElector(
        deps.kubeConfig,
        {
          namespace: config.podNamespace,
          leaseName: config.leaseName,
          identity: `${config.podName}_${this.instance}`,
          leaseDurationSeconds: config.leaseDurationSeconds,
        },
        leader => this.onLeadership(leader),
        this.log.child({ stage: 'leader' }),
      );
    }
    if (deps.serveOps ?? true) {
      this.ops = new OpsServer(this.metrics, () => this.readiness());
    }
  }

  /** The session the agent pushes in now. */
  get session(): string {
    return this.sender.session;
  }

  /** The port of the operations endpoints, once started. */
  get port(): number | undefined {
    return this.opsPort;
  }

  get isLeader(): boolean {
    return this.elector ? this.elector.isLeader : true;
  }

  async start(): Promise<void> {
    this.log.info('agent starting', {
      version: AGENT_VERSION,
      tool: this.config.tool,
      capabilities: this.info.capabilities,
      informers: this.informers.map(
        i => `${i.kind.kind}@${i.namespace ?? '*'}`,
      ),
    });
    if (this.ops) {
      this.opsPort = await this.ops.listen(this.config.httpPort);
      this.log.info('operations endpoints listening', {
        port: this.opsPort,
        paths: ['/healthz', '/readyz', '/metrics'],
      });
    }
    for (const informer of this.informers) informer.start();
    if (this.elector) {
      this.onLeadership(false);
      this.elector.start();
    } else {
      this.metrics.leader.set(1);
    }
    this.sender.start();
    this.commands.start();
  }

  async stop(): Promise<void> {
    await this.elector?.stop();
    for (const informer of this.informers) informer.stop();
    await this.sender.stop();
    await this.commands.stop();
    await this.ops?.close();
    this.log.info('agent stopped');
  }

  private onLeadership(leader: boolean): void {
    this.metrics.leader.set(leader ? 1 : 0);
    this.sender.setEnabled(leader);
    this.commands.setEnabled(leader);
  }

  /** Pushes the kind report as soon as it changes, rather than with the next heartbeat. */
  private announceKindsIfChanged(): void {
    const kinds = JSON.stringify(this.info.kinds);
    if (kinds === this.announcedKinds) return;
    this.announcedKinds = kinds;
    this.sender.announceInfo();
  }

  /**
   * Readiness: every informer listed (or its CRD absent), none stale, and, when leading, the
   * backend reached recently.
   */
  readiness(): ReadinessReport {
    const informers = this.informers.map(i => ({
      kind: i.kind.kind,
      namespace: i.namespace ?? '*',
      state: i.state,
      objects: i.size,
      stale: i.stale,
      ...(i.lastError ? { error: i.lastError } : {}),
    }));
    const stale = this.informers.filter(i => i.stale);
    const informersReady =
      stale.length === 0 &&
      this.informers.every(i => this.listed.has(i) || i.unavailable);
    const lastPush = this.sender.lastSuccess;
    const graceMs = 3 * this.config.heartbeatIntervalMs;
    const backendRecent =
      lastPush !== undefined
        ? Date.now() - lastPush < graceMs
        : Date.now() - this.startedAt < graceMs;
    const ready = informersReady && (!this.isLeader || backendRecent);
    return {
      ready,
      leader: this.isLeader,
      informers,
      staleKinds: [...new Set(stale.map(i => i.kind.kind))],
      missingCrds: this.informers
        .filter(i => i.state === 'missing')
        .map(i => `${i.kind.plural}.${i.kind.group}`),
      backend: {
        lastSuccessfulPush: lastPush ? new Date(lastPush).toISOString() : null,
        ...(this.sender.lastError ? { error: this.sender.lastError } : {}),
      },
    };
  }
}
