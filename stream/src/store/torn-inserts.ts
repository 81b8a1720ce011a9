import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { dataStreams, type StreamName } from '../contracts/registry.ts';
import { heldIds, idsTable } from './stored-ids.ts';

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
  // only the views the migrations made: `<name>_mv` writing into `<name>` (a view of any other
  // shape is someone else's, and a name like `` `a TO b` `` must not choose where rows go)
  for (const v of found) {
    if (!/^[a-z0-9_]+_mv$/.test(v.name) || !/^[a-z0-9_]+$/.test(v.db)) continue;
    const target = `${v.db}.${v.name.slice(0, -3)}`;
    if (v.create_table_query.startsWith(`CREATE MATERIALIZED VIEW ${v.db}.${v.name} TO ${target} `)) views.push({ name: v.name, target, select: v.as_select });
  }
  const ids = idsTable(stream);
  views.sort((a, b) => Number(a.target.endsWith(ids)) - Number(b.target.endsWith(ids)));
  return { db: found[0]?.db ?? 'default', views };
}

/** inserts that may have been under way when a process died: the newest of the last minute */
const newestInserts = 32;

/**
 * Completes the inserts an unclean stop tore. An insert commits the raw table's part, then its
 * views' parts one by one in no fixed order: a SIGKILL inside a chDB insert left raw with the
 * block and none of its views (52 of 79 torn inserts, a helper's 170 kills), or some of them
 * (raw + latest, raw + the 1 h rollup, raw + the ids table alone, everything but the 1 d
 * rollup), never a view without raw. Such a block's events were never committed (Kafka) or
 * answered (the embedded log), so they come again: where the ids table lacks them they were
 * stored a second time, and where it has them they were counted as duplicates while the
 * as-of, latest and rollup tables never showed them.
 *
 * So a process that opens its store's folder (chDB in process, `haidang store`) first runs
 * every view of raw again over the inserts that may be torn — the newest of the last minute
 * before the newest row (those under way when it died), and any insert of that minute with
 * an id the ids table lacks — the ids view last (a stop during this leaves them missing
 * there, so the next start does it again). Every view is idempotent for rows it already
 * holds — ReplacingMergeTree tables keyed by the row (read with FINAL), argMax and uniqExact
 * states — so it costs a few duplicate rows until the next merge and loses nothing. Returns,
 * per stream, the rows whose ids the ids table lacked.
 */
export async function completeTornInserts(client: ClickHouseClient, logger?: Logger, streams: readonly StreamName[] = dataStreams): Promise<Record<string, number>> {
  const completed: Record<string, number> = {};
  const tables = new Set((await rows<{ name: string }>(client, 'SELECT name FROM system.tables WHERE database = currentDatabase()')).map((t) => t.name));
  for (const stream of streams) {
    const raw = `${stream}_raw`;
    if (!tables.has(raw) || !tables.has(idsTable(stream))) continue;
    const [newest] = await rows<{ from: string; n: string }>(client, `SELECT toString(max(stored_at) - INTERVAL ${recentSeconds} SECOND) AS from, toString(count()) AS n FROM ${raw}`);
    if (!newest || newest.n === '0') continue;
    const since = `stored_at >= toDateTime64('${newest.from}', 3, 'UTC')`;
    // an insert's rows share its stored_at (now64() of the statement)
    const recent = await rows<{ id: string; at: string }>(client, `SELECT toString(id) AS id, toString(stored_at) AS at FROM ${raw} WHERE ${since}`);
    const held = await heldIds(client, stream, recent.map((r) => r.id));
    const missing = recent.filter((r) => !held.has(r.id));
    const inserts = new Set([...new Set(recent.map((r) => r.at))].sort().slice(-newestInserts));
    for (const r of missing) inserts.add(r.at);
    const { db, views } = await viewsOf(client, stream);
    const at = [...inserts].map((t) => `toDateTime64('${t}', 3, 'UTC')`).join(', ');
    const source = `(SELECT * FROM ${db}.${raw} WHERE ${since} AND stored_at IN (${at})) AS ${raw}`;
    const from = new RegExp(`\\bFROM\\s+(?:${db}\\.)?${raw}\\b`);
    for (const v of views) {
      if (!from.test(v.select)) throw new Error(`view ${v.name} does not read ${raw} as expected: ${v.select.slice(0, 200)}`);
      await client.command({ query: `INSERT INTO ${v.target} ${v.select.replace(from, `FROM ${source}`)}`, clickhouse_settings: { insert_deduplicate: 0 } });
    }
    completed[stream] = missing.length;
    if (missing.length) logger?.warn({ stream, rows: missing.length, inserts: inserts.size, views: views.map((v) => v.name) }, 'completed an insert an unclean stop had left unfinished (its rows in raw, not in every view): its views now hold them, so their redelivery is counted, not stored again');
    else logger?.debug({ stream, inserts: inserts.size }, "raw's views run again over the newest inserts, in case a stop tore one");
  }
  return completed;
}
