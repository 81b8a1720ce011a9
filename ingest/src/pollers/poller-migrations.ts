import type { ClickHouseClient } from '@clickhouse/client';
import { migrate, type Logger, type Migration } from '@haidang/stream';

/**
 * The pollers' table. Ids start at 301 (stream 1+, api 101+, ingest 201+) in the shared
 * `schema_migrations` record. Append; never edit one that shipped.
 *  - `ingest_poller_cursors`: where each poller stands in its upstream, one version per
 *    move; the newest wins (FINAL). Written only after the events before it were published
 *    durably, so a restart resumes without a gap.
 */
export const pollerMigrations: readonly Migration[] = [
  {
    id: 301,
    name: 'pollers: cursors',
    statements: [
      `CREATE TABLE IF NOT EXISTS ingest_poller_cursors (
  poller String, cursor String, updated_at DateTime64(3, 'UTC'), version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY poller`,
    ],
  },
];

export function migratePollers(client: ClickHouseClient, logger?: Logger): Promise<number[]> {
  return migrate(client, logger, pollerMigrations);
}
