import type { ClickHouseClient } from '@clickhouse/client';
import { migrate, type Logger } from '@haidang/stream';
import { ingestMigration } from './0201_ingest.ts';

/** Ingest's migrations, applied with stream's `migrate` after stream's own. */
const ingestMigrations = [ingestMigration] as const;

export function migrateIngest(client: ClickHouseClient, logger?: Logger): Promise<number[]> {
  return migrate(client, logger, ingestMigrations);
}
