import type { Migration } from '@haidang/stream';

/**
 * The api's tables. Ids start at 101 so they never collide with stream's migrations in the
 * shared `schema_migrations` record. Append new migrations; never edit one that shipped.
 *  - `api_users`: one row per user, the newest version wins (FINAL).
 *  - `api_revoked_sessions`: session ids logged out before their expiry, dropped by TTL after it.
 *  - `api_audit_log`: who did what (logins, exports, user changes, acknowledgements).
 *  - `api_alerts`: one row per alert episode, the newest version wins (fired → resolved → acknowledged).
 */
export const apiMigration: Migration = {
  id: 101,
  name: 'api: users, revoked sessions, audit log, alert episodes',
  statements: [
    `CREATE TABLE IF NOT EXISTS api_users (
  username String, role LowCardinality(String), password_hash String, disabled Bool DEFAULT false,
  created_at DateTime64(3, 'UTC'), created_by String, updated_at DateTime64(3, 'UTC') DEFAULT now64(3), version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY username`,
    `CREATE TABLE IF NOT EXISTS api_revoked_sessions (
  jti String, username String, expires_at DateTime('UTC'), revoked_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree
ORDER BY jti
TTL expires_at + INTERVAL 1 DAY`,
    `CREATE TABLE IF NOT EXISTS api_audit_log (
  at DateTime64(3, 'UTC') DEFAULT now64(3), actor String, action LowCardinality(String), target String,
  detail String, ip String, ok Bool
) ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (at, actor)`,
    `CREATE TABLE IF NOT EXISTS api_alerts (
  episode_id UUID, rule_id LowCardinality(String), entity LowCardinality(String), series String,
  state LowCardinality(String), severity LowCardinality(String), metric LowCardinality(String),
  value Float64, threshold Float64, message_vi String, message_en String,
  started_at DateTime64(3, 'UTC'), resolved_at Nullable(DateTime64(3, 'UTC')),
  acknowledged_by Nullable(String), acknowledged_at Nullable(DateTime64(3, 'UTC')), ack_comment Nullable(String),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY episode_id`,
  ],
};
