import type { ClickHouseClient } from '@clickhouse/client';
import { migrate, type Logger } from '@haidang/stream';
import { apiMigration } from './0101_api.ts';
import { kpiOpeningBalanceMigration } from './0140_kpi_opening_balance.ts';
import { wallTokensMigration } from './0113_wall_tokens.ts';

/** The api's migrations, applied with stream's `migrate` after stream's own. */
export const apiMigrations = [apiMigration, wallTokensMigration, kpiOpeningBalanceMigration] as const;

export function migrateApi(client: ClickHouseClient, logger?: Logger): Promise<number[]> {
  return migrate(client, logger, apiMigrations);
}
