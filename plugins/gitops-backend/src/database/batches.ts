import type { Knex } from 'knex';

/**
 * Rows per multi-row insert. SQLite writes one as a compound SELECT, capped at 500 terms;
 * PostgreSQL only has to stay under its 65535 bind parameters.
 */
const ROWS_PER_INSERT = { sqlite: 500, pg: 1000 };

/** Ids per `where id in (...)`, well under either engine's bind-parameter limit. */
export const ID_CHUNK = 500;

/** Ids per lookup on PostgreSQL: fewer round trips, far under its 65535 bind parameters. */
const PG_ID_CHUNK = 5000;

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

export function rowsPerInsert(db: Knex): number {
  return isPostgres(db) ? ROWS_PER_INSERT.pg : ROWS_PER_INSERT.sqlite;
}

/** Ids (or names) per `where … in (...)` on this engine. */
export function idsPerQuery(db: Knex): number {
  return isPostgres(db) ? PG_ID_CHUNK : ID_CHUNK;
}

export function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}
