// @ts-check

/*
 * Free-text search (`q`, a substring of search_text) on PostgreSQL: a trigram index, so a
 * search at 100k resources reads the matching rows instead of scanning the table. pg_trgm
 * is a trusted extension (the database owner may create it); where it cannot be created
 * the search keeps working, by a scan.
 */

const INDEX = 'gitops_resources_search_trgm';

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.config.client !== 'pg') {
    return;
  }
  try {
    // A savepoint: a refused extension must not abort the migration's transaction.
    await knex.transaction(tx =>
      tx.raw('create extension if not exists pg_trgm'),
    );
  } catch (error) {
    knex.client.logger.warn?.(
      `gitops: pg_trgm is not available (${error}); text search scans the table`,
    );
    return;
  }
  await knex.raw(
    `create index if not exists ${INDEX} on gitops_resources using gin (search_text gin_trgm_ops)`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.config.client !== 'pg') {
    return;
  }
  await knex.raw(`drop index if exists ${INDEX}`);
};
