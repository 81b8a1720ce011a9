import { frozenStatements } from '../frozen-sql.ts';
import type { Migration } from '../migration.ts';

/**
 * The stored ids by time: `<s>_ids_by_time` replaces `<s>_ids` (0003), ordered by
 * `(UUIDv7ToDateTime(id), id)` instead of `id`. ClickHouse sorts a UUID by its second half
 * (its documentation on the UUID type says so), which in a UUIDv7 is random: ordered by `id`,
 * the processor's per-chunk check of 10,000–20,000 new ids touched every granule of the table,
 * a cost that grew with everything ever stored (bench/id-check.ts). Ordered by the id's own
 * time first, the new ids of a chunk — UUIDv7, as producers are asked to send — fall in the
 * last granules and the primary key skips the rest; other UUIDs (v4, v5) share one time
 * (1970) and are found by `id` within it, as before. The new view starts before the old one
 * stops, and the ids are copied from raw, so no stored id is missing at any moment. Frozen SQL.
 */
export const migration: Migration = {
  id: 4,
  name: 'stored ids ordered by their time (the uniqueness check reads the newest granules only)',
  statements: frozenStatements('0004_event_ids_by_time.sql'),
};
