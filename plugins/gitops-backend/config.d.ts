import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the GitOps backend plugin. */
  gitops?: {
    /**
     * The in-cluster agents. Each agent authenticates with a Backstage external-access
     * credential (backend.auth.externalAccess, restricted to the gitops plugin); the
     * credential's subject is mapped here to the one tenant and cluster it may write.
     * A credential whose subject is not listed is refused (403).
     */
    agents?: Array<{
      /** The subject of the agent's external-access credential, e.g. gitops-agent-prod-eu. */
      subject: string;
      /** The tenant the agent writes. Default: default. */
      tenant?: string;
      /** The cluster name the agent's data is stored under. */
      cluster: string;
    }>;

    /** The tenant whose resources portal users see. Default: default (single tenant). */
    userTenant?: string;

    /** Bounds of split snapshots (docs/agent-protocol.md, "Parts"). */
    push?: {
      /**
       * Most parts one snapshot may be split into; a part announcing more is refused (400,
       * naming `parts`). Default: 25 (at 10 MiB a part, about 250 MiB of records).
       */
      maxSnapshotParts?: number;
      /**
       * Most bytes of staged parts one cluster may hold at a time; a part that would exceed
       * it is refused (413). Default: 268435456 (256 MiB).
       */
      maxStagedBytes?: number;
    };

    retention?: {
      /** How long status history (sync, health, revision changes) is kept. Default: 30 days. */
      statusHistory?: HumanDuration | string;
      /** How long finished commands stay in the ledger. Default: 30 days. */
      commands?: HumanDuration | string;
    };

    commands?: {
      /** Time to live of a queued command; not completed by then it ends as expired. Default: 10 minutes. */
      ttl?: HumanDuration | string;
      /** Delivery lease; without a result before it ends the command is delivered again. Default: 60 seconds. */
      lease?: HumanDuration | string;
      /**
       * The safety poll: how often each replica reads, in one query for all its waiting
       * agent long-polls, whether a command is claimable that no wake-up announced.
       * Wake-ups are immediate (in process; across replicas on PostgreSQL by LISTEN/NOTIFY).
       * Default: 10 seconds.
       */
      pollInterval?: HumanDuration | string;
      /**
       * Whether Sync and Refresh run on a resource linked only by name. Off, such a
       * resource is shown on its entity's page but its commands answer 409 with the reason
       * until it is linked by the shoehorn.dev/entity annotation or by hand. Default: false.
       * @visibility frontend
       */
      allowOnNameMatch?: boolean;
    };

    signals?: {
      /**
       * Change notices to open pages are coalesced: at most one per tenant per interval
       * (per replica), naming the clusters and entities changed, so each page refetches
       * only what it shows. Default: 2 seconds.
       */
      interval?: HumanDuration | string;
    };

    heartbeats?: {
      /**
       * How often each replica writes the last-seen times of the agents that pushed or
       * polled since the previous write, all in one transaction. A heartbeat that changes
       * no resource costs no other write. Default: 5 seconds.
       */
      flushInterval?: HumanDuration | string;
    };

    history?: {
      /** How long deployments and the episodes metrics are measured from are kept. Default: 90 days. */
      retention?: HumanDuration | string;
      /**
       * How long after a deployment a Degraded state still counts it as a failed change
       * (change-failure rate). Default: 1 hour.
       */
      failureWindow?: HumanDuration | string;
    };

    /** Notifications to entity owners and command requesters (see README). */
    notifications?: {
      /** The global switch. Default: true. */
      enabled?: boolean;
      /** How often linked resources are checked (one replica at a time). Default: 1 minute. */
      checkInterval?: HumanDuration | string;
      /** How long Degraded health, or a recovery, must last before owners are told. Default: 5 minutes. */
      debounce?: HumanDuration | string;
      /** How long a resource must stay OutOfSync before owners are told. Default: 30 minutes. */
      outOfSyncAfter?: HumanDuration | string;
      /** Severity of each kind of notification: critical, high, normal or low. */
      severity?: {
        /** Default: high. */
        degraded?: 'critical' | 'high' | 'normal' | 'low';
        /** Default: normal. */
        outOfSync?: 'critical' | 'high' | 'normal' | 'low';
        /** Default: high. */
        disconnected?: 'critical' | 'high' | 'normal' | 'low';
        /** Default: low. */
        resolved?: 'critical' | 'high' | 'normal' | 'low';
        /** Default: low. */
        commandSucceeded?: 'critical' | 'high' | 'normal' | 'low';
        /** Default: high. */
        commandFailed?: 'critical' | 'high' | 'normal' | 'low';
      };
    };

    linking?: {
      /** How often the catalog is read to re-evaluate automatic links. Default: 5 minutes. */
      catalogRefreshInterval?: HumanDuration | string;
      /**
       * The namespaces the name rule searches for an entity named like the resource, or
       * false to link by annotation and by hand only. A catalog author who can register an
       * entity in one of them can claim a name. Default: [default].
       */
      nameMatch?: string[] | false;
    };
  };
}
