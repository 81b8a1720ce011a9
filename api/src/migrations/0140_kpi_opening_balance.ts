import type { Migration } from '@haidang/stream';

/**
 * `api_kpi_opening_balance`: doses given before go-live, per dose and age group, as an admin
 * uploaded them (every upload kept; the latest is in force, the city pack's file before any).
 */
export const kpiOpeningBalanceMigration: Migration = {
  id: 140,
  name: 'api: KPI opening balance uploads',
  statements: [
    `CREATE TABLE IF NOT EXISTS api_kpi_opening_balance (
  upload_id UUID, uploaded_at DateTime64(3, 'UTC'), uploaded_by String, as_of DateTime64(3, 'UTC'), basis String,
  dose_number UInt8, age_group LowCardinality(String), doses UInt64
) ENGINE = MergeTree
ORDER BY (uploaded_at, upload_id, dose_number, age_group)`,
  ],
};
