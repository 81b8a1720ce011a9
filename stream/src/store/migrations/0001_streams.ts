import { frozenStatements } from '../frozen-sql.ts';
import type { Migration } from '../migration.ts';

/**
 * Per stream:
 *  - `<s>_raw`: every stored event (history "as reported on"). Plain MergeTree deduplicates
 *    retried inserts only with non_replicated_deduplication_window set (default 0 = off).
 *  - `<s>_asof`: one row per (entity, dims, observedAt), the latest-received report winning:
 *    corrections supersede, duplicates collapse. KPIs read it with FINAL.
 *  - `<s>_latest`: one row per (entity, dims): the current state for the live map. The
 *    version orders by observedAt, then receivedAt (seconds; both fit a UInt64).
 *  - gauges only: `<s>_1m|1h|1d` rollups keeping the last value per bucket (argMax by
 *    observedAt, receivedAt), so a correction of the last report wins there too. Counters
 *    are summed from `<s>_asof` at query time: a materialised sum could not retract a
 *    superseded count.
 * Plus `alerts_raw` and `deadletter`. The SQL is frozen in 0001_streams.sql: it is the text
 * commit a075968 generated from tables.ts and applied to every store since.
 */
export const migration: Migration = {
  id: 1,
  name: 'streams: raw, as-of, latest and rollup tables',
  statements: frozenStatements('0001_streams.sql'),
};
