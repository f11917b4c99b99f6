import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { DatabaseCommandStore } from '../commands/DatabaseCommandStore';
import { DeploymentStore } from '../history/DeploymentStore';
import { ClusterStore } from './ClusterStore';
import { IngestStore } from './IngestStore';
import { ManualLinkStore } from './ManualLinkStore';
import { NoticeSlotStore } from './NoticeSlotStore';
import { PushRefusalStore } from './PushRefusalStore';
import { ResourceQueryStore } from './ResourceQueryStore';

const migrationsDir = resolvePackagePath(
  '@shoehorn/plugin-gitops-backend',
  'migrations',
);

/** The plugin's database: migrated once, then handed out as one focused store per job. */
export class GitOpsDatabase {
  readonly ingest: IngestStore;
  readonly resources: ResourceQueryStore;
  readonly clusters: ClusterStore;
  readonly links: ManualLinkStore;
  readonly commands: DatabaseCommandStore;
  readonly deployments: DeploymentStore;
  readonly refusals: PushRefusalStore;
  readonly noticeSlots: NoticeSlotStore;

  /** Runs the migrations (unless the service or caller skips them) before any store exists. */
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<GitOpsDatabase> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await GitOpsDatabase.migrate(client);
    }
    return new GitOpsDatabase(client);
  }

  static async migrate(knex: Knex): Promise<void> {
    await knex.migrate.latest({ directory: migrationsDir });
  }

  /** Stores over a client whose schema is already migrated. */
  constructor(knex: Knex) {
    this.deployments = new DeploymentStore(knex);
    this.ingest = new IngestStore(knex, this.deployments);
    this.resources = new ResourceQueryStore(knex);
    this.clusters = new ClusterStore(knex);
    this.links = new ManualLinkStore(knex);
    this.commands = new DatabaseCommandStore(knex);
    this.refusals = new PushRefusalStore(knex);
    this.noticeSlots = new NoticeSlotStore(knex);
  }
}
