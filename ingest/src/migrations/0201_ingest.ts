import type { Migration } from '@haidang/stream';

/**
 * Ingest's tables. Ids start at 201 so they never collide with stream's (1+) or the api's
 * (101+) in the shared `schema_migrations` record. Append; never edit one that shipped.
 *  - `ingest_source_keys`: one row per API key of a data source, the newest version wins
 *    (FINAL); only the SHA-256 of the key is kept, never the key.
 *  - `ingest_idempotency`: the answer given to a push with an `Idempotency-Key`, so a retry
 *    gets the same answer without publishing again; kept for 7 days.
 */
export const ingestMigration: Migration = {
  id: 201,
  name: 'ingest: source API keys, idempotency records',
  statements: [
    `CREATE TABLE IF NOT EXISTS ingest_source_keys (
  key_id String, source String, label String, streams Array(LowCardinality(String)), entities Array(String),
  key_hash String, created_at DateTime64(3, 'UTC'), created_by String,
  revoked_at Nullable(DateTime64(3, 'UTC')), revoked_by Nullable(String), version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY key_id`,
    `CREATE TABLE IF NOT EXISTS ingest_idempotency (
  source String, stream LowCardinality(String), idempotency_key String, body_hash String,
  status UInt16, response String, created_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree
ORDER BY (source, stream, idempotency_key)
TTL toDateTime(created_at) + INTERVAL 7 DAY`,
  ],
};
