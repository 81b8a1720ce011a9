import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { dataStreams, type StreamName } from '../contracts/registry.ts';
import { heldIds, idList, idsTable } from './stored-ids.ts';

/** how far before the newest stored row a torn insert's rows can lie (an insert lasts seconds) */
const recentSeconds = 60;

interface View {
  name: string;
  target: string;
  select: string;
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  return (await client.query({ query, format: 'JSONEachRow', query_params: params, clickhouse_settings: { max_query_size: String(Math.max(262_144, query.length * 2)) } })).json<T>();
}

/** the materialized views that read `<stream>_raw`, the ids view last, with their targets and selects */
async function viewsOf(client: ClickHouseClient, stream: StreamName): Promise<{ db: string; views: View[] }> {
  const found = await rows<{ db: string; name: string; as_select: string; create_table_query: string }>(
    client,
    `SELECT database AS db, name, as_select, create_table_query FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView' AND has((SELECT any(dependencies_table) FROM system.tables WHERE database = currentDatabase() AND name = {raw:String}), name)`,
    { raw: `${stream}_raw` },
  );
  const views: View[] = [];
  for (const v of found) {
    const target = /\bTO\s+([\w.`]+)/.exec(v.create_table_query)?.[1];
    if (target) views.push({ name: v.name, target, select: v.as_select });
  }
  const ids = idsTable(stream);
  views.sort((a, b) => Number(a.target.endsWith(ids)) - Number(b.target.endsWith(ids)));
  return { db: found[0]?.db ?? 'default', views };
}

/**
 * Completes the inserts an unclean stop tore. An insert writes the raw table's part and then
 * its views' (measured here: SIGKILL inside a chDB insert left raw with the block and every
 * view without it — ids, as-of, latest, rollups — never the other way round). Such a block's
 * events were never committed (Kafka) or answered (the embedded log), so they come again; the
 * id lookup reads `<stream>_ids_by_time`, misses them, and they would be stored a second time.
 *
 * So a process that opens its store's folder (chDB in process, `haidang store`) first finds the
 * raw rows of the last minute before the newest that the ids table lacks, and runs every view
 * of raw over exactly those rows, the ids view last (a stop during this leaves them still
 * missing there, so the next start does it again). Every view is idempotent for rows it
 * already holds — ReplacingMergeTree tables keyed by the row, argMax and uniqExact states — so
 * a view that had the rows loses nothing. Returns the rows completed per stream.
 */
export async function completeTornInserts(client: ClickHouseClient, logger?: Logger, streams: readonly StreamName[] = dataStreams): Promise<Record<string, number>> {
  const completed: Record<string, number> = {};
  const tables = new Set((await rows<{ name: string }>(client, 'SELECT name FROM system.tables WHERE database = currentDatabase()')).map((t) => t.name));
  for (const stream of streams) {
    const raw = `${stream}_raw`;
    if (!tables.has(raw) || !tables.has(idsTable(stream))) continue;
    const [newest] = await rows<{ from: string; n: string }>(client, `SELECT toString(max(stored_at) - INTERVAL ${recentSeconds} SECOND) AS from, toString(count()) AS n FROM ${raw}`);
    if (!newest || newest.n === '0') continue;
    const recent = (await rows<{ id: string }>(client, `SELECT toString(id) AS id FROM ${raw} WHERE stored_at >= toDateTime64('${newest.from}', 3, 'UTC')`)).map((r) => r.id);
    const held = await heldIds(client, stream, recent);
    const torn = recent.filter((id) => !held.has(id));
    if (!torn.length) continue;
    const { db, views } = await viewsOf(client, stream);
    const source = `(SELECT * FROM ${db}.${raw} WHERE stored_at >= toDateTime64('${newest.from}', 3, 'UTC') AND id IN (${idList(torn)})) AS ${raw}`;
    const from = new RegExp(`\\bFROM\\s+(?:${db}\\.)?${raw}\\b`);
    const size = String(Math.max(262_144, torn.length * 80));
    for (const v of views) {
      if (!from.test(v.select)) throw new Error(`view ${v.name} does not read ${raw} as expected: ${v.select.slice(0, 200)}`);
      await client.command({ query: `INSERT INTO ${v.target} ${v.select.replace(from, `FROM ${source}`)}`, clickhouse_settings: { insert_deduplicate: 0, max_query_size: size } });
    }
    completed[stream] = torn.length;
    logger?.warn({ stream, rows: torn.length, views: views.map((v) => v.name) }, 'completed an insert an unclean stop had left in raw only: its views now hold its rows, so their redelivery is counted, not stored again');
  }
  return completed;
}
