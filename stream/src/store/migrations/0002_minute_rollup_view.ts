import { frozenStatements } from '../frozen-sql.ts';
import type { Migration } from '../migration.ts';

/**
 * The 1-minute rollups of gauge streams become plain views over the raw table. Facilities and
 * markets report every half hour or day, so a minute bucket holds one report: the
 * materialised table was as large as raw and cost the insert more than any other view (7 of
 * 32 µs an event, bench/profile.ts). Steps of 1–15 minutes cover at most 14 days (the
 * series' point cap), which the view reads from raw's (entity, observed_at) order directly.
 * Queries are unchanged: the view gives the same columns and aggregate states. Frozen SQL.
 */
export const migration: Migration = {
  id: 2,
  name: 'minute rollups of gauges: a view over raw instead of a materialised table',
  statements: frozenStatements('0002_minute_rollup_view.sql'),
};
