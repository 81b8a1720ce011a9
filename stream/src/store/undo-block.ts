import type { ClickHouseClient } from '@clickhouse/client';
import type { StreamName } from '../contracts/registry.ts';
import { idsTable } from './stored-ids.ts';
import { isUuidText } from './uuid-text.ts';

/**
 * Removes what a refused insert left behind. ClickHouse writes the raw table's part before it
 * runs the views, so when a view refuses a row (a value its function cannot compute, e.g.
 * DECIMAL_OVERFLOW, 407) the block is in raw, and in the views that ran before, although the
 * insert failed: retrying its rows would store them twice. The ids are this block's alone
 * (only ids the store did not hold are inserted), so deleting them by id undoes exactly it.
 * The gauge rollups keep what they got: argMax and uniqExact give the same answer when the
 * good rows arrive again.
 */
export async function undoBlock(client: ClickHouseClient, stream: StreamName, ids: readonly string[]): Promise<void> {
  const list = ids.map((i) => i.toLowerCase()).filter(isUuidText);
  if (!list.length) return;
  const tables = [`${stream}_raw`, idsTable(stream), `${stream}_asof`, `${stream}_latest`];
  const where = list.map((i) => `'${i}'`).join(',');
  for (const t of tables) {
    await client.command({ query: `DELETE FROM ${t} WHERE id IN (${where})`, clickhouse_settings: { max_query_size: String(Math.max(262_144, where.length * 2)), lightweight_deletes_sync: '2' } });
  }
}
