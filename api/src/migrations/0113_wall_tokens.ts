import type { Migration } from '@haidang/stream';

/**
 * `api_wall_tokens`: the tokens that keep a wall screen signed in (api/src/auth/wall-tokens.ts).
 * Only SHA-256 of a token is kept; one row per token, the newest version wins (created → revoked).
 * Id 113 (the issue that asked for them) leaves 102–112 to the api's other migrations.
 */
export const wallTokensMigration: Migration = {
  id: 113,
  name: 'api: wall tokens',
  statements: [
    `CREATE TABLE IF NOT EXISTS api_wall_tokens (
  token_id String, label String, view LowCardinality(String), token_hash String,
  created_at DateTime64(3, 'UTC'), created_by String,
  revoked_at Nullable(DateTime64(3, 'UTC')), revoked_by Nullable(String), version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY token_id`,
  ],
};
