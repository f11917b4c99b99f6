import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { PushRequest } from '@shoehorn/plugin-gitops-common';
import { GitOpsDatabase } from '../database/GitOpsDatabase';
import type { LinkResolver } from '../database/types';
import { EntityIndex } from '../linking/EntityIndex';
import type { AgentIdentity } from '../service/agentIdentity';
import { AGENTS, makePush } from './harness';

export const NOW = Date.parse('2025-06-01T12:00:00Z');

/** A fresh, migrated database of the given engine, through the plugin's own factory. */
export async function openGitOpsDatabase(
  databases: TestDatabases,
  id: TestDatabaseId,
) {
  const knex = await databases.init(id);
  const db = await GitOpsDatabase.create({
    database: mockServices.database({ knex }),
  });
  return { knex, db };
}

/** Automatic linking against the given catalog entities. */
export function resolverFor(entities: Entity[] = []): LinkResolver {
  const index = EntityIndex.fromEntities(entities);
  return (resource, manual) => index.resolve(resource, manual);
}

/** Applies one push as the given agent at `now`, linking against `entities`. */
export function applyPush(
  db: GitOpsDatabase,
  overrides: Partial<PushRequest>,
  options: {
    agent?: AgentIdentity;
    now?: number;
    resolveLink?: LinkResolver;
  } = {},
) {
  return db.ingest.applyPush(options.agent ?? AGENTS.a, makePush(overrides), {
    now: options.now ?? NOW,
    resolveLink: options.resolveLink ?? resolverFor(),
  });
}
