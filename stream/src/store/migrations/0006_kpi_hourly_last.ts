import { frozenStatements } from '../frozen-sql.ts';
import type { Migration } from '../migration.ts';

/**
 * The last report per hour, entity and dimensions, of only the columns a stream's KPIs read
 * through `{{last(…)}}`, ordered by time first (`<stream>_kpi_1h`). A KPI series over 30 days at
 * 1 h read 8.3M raw rows at 100M stored (1.4 s, `bench:api`); it now merges the hourly states
 * of those 30 days (one row per facility-hour). The view starts before the backfill from raw:
 * a report both count is merged by `argMax`, which gives the same answer for a duplicate.
 * Frozen SQL; `kpiHourlyLast` says which columns each table holds (the KPI engine reads raw for
 * any other, and for ranges not on whole hours).
 */
export const migration: Migration = {
  id: 6,
  name: 'hourly last reports of the KPI columns, ordered by time (KPI series read them instead of raw)',
  statements: frozenStatements('0006_kpi_hourly_last.sql'),
};

/** per stream, the columns its `<stream>_kpi_1h` table holds (what 0006 created) */
export const kpiHourlyLast: Readonly<Record<string, readonly string[]>> = {
  capacity: ['oxygen_beds_occupied', 'oxygen_beds_total'],
  disbursement: ['disbursed_to_date_vnd', 'capital_plan_vnd'],
};
