import { frozenStatements } from '../frozen-sql.ts';
import type { Migration } from '../migration.ts';

/**
 * An id is stored once per stream, whatever entity or time it claims: `<s>_ids` holds every
 * stored id (ordered by id, small granules, so the processor's per-chunk check reads about
 * one granule per id) with the entity and time that lead back to its raw row, filled by a
 * view from `<s>_raw` in the same insert, and backfilled from the rows already stored.
 * `log_positions`: how far the in-process log has handed out offsets per topic and
 * partition, so its offsets never repeat across restarts. Frozen SQL.
 */
export const migration: Migration = {
  id: 3,
  name: 'event ids per stream (uniqueness check) and the in-process log positions',
  statements: frozenStatements('0003_event_ids.sql'),
};
