import type { ClickHouseClient } from '@clickhouse/client';
import type { StreamName } from '../contracts/registry.ts';
import { heldIdsEndpointFor, idFilesFor } from './client.ts';
import { fewestForFile } from './id-files.ts';
import { sqlString } from './sql-string.ts';
import { hexValue, isUuidText } from './uuid-text.ts';
import { eventLine, fingerprintSql, rawStructure } from './rows.ts';
import type { AnyEvent } from '../contracts/registry.ts';

/** ids looked up per query (the chunks of every partition consumed side by side, gathered) */
const chunk = 100_000;

/**
 * The ids as a set for `IN`, in the query text: one string literal read by
 * `format(TabSeparated)`, which ClickHouse parses far faster than a list of 10,000 literals
 * (bench/id-check.ts). Query parameters would travel in the URL over HTTP (a server or
 * `haidang store` refuses a 400 KB URL) and chDB inlines them anyway. Ids are checked as
 * UUID text first (uuid-text.ts), so nothing but a UUID reaches the text.
 */
function idList(ids: readonly string[], type: 'UUID' | 'String' = 'UUID'): string {
  return `SELECT id FROM format(TabSeparated, 'id ${type}', '${ids.join('\\n')}')`;
}

/**
 * A lookup's settings: room for its id list, and its answer computed whole — a small answer
 * gains nothing from streaming, and `haidang store` then runs it on chDB's threads instead of
 * its event loop (a streamed answer starts on the calling thread), so other workers' inserts
 * are not held up meanwhile. An embedded chDB ignores the HTTP setting.
 */
const bigQuery = (text: string) => ({ max_query_size: String(Math.max(262_144, text.length * 2 + 65_536)), wait_end_of_query: 1 as const });

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: bigQuery(query) });
  return rs.json<T>();
}

/** the table of a stream's stored ids (migration 0004), ordered by `(UUIDv7ToDateTime(id), id)` */
export const idsTable = (stream: StreamName) => `${stream}_ids_by_time`;

/** the newest id time a stream's ids table holds, Unix ms (0 when it holds none) */
export const newestIdSql = (stream: StreamName) => `SELECT toString(toUnixTimestamp64Milli(max(UUIDv7ToDateTime(id)))) AS ms FROM ${idsTable(stream)}`;

export async function newestIdMillis(client: ClickHouseClient, stream: StreamName): Promise<number> {
  const [row] = await rows<{ ms: string }>(client, newestIdSql(stream));
  return Number(row?.ms ?? 0);
}

/** a UUIDv7's time, Unix ms (its first 48 bits); null for any other version (ClickHouse then says 1970) */
export function v7Millis(id: string): number | null {
  return id.charCodeAt(14) === 55 /* '7' */ ? hexValue(id, 0, 8) * 65_536 + hexValue(id, 9, 13) : null;
}

/** ids closer in time than this share one time range of the lookup */
const rangeGapMs = 60_000;
/** more ranges than this (ids scattered over time): the key reads the ids themselves */
const maxRanges = 32;

/**
 * `id IN (…)` as the table's primary key reads it: the ids' times first — the few spans the
 * UUIDv7 ids' times fall in (a chunk of new events: one span of seconds; a resend of an old
 * event adds its own), and 1970 (what `UUIDv7ToDateTime` says of any other version) when there
 * are others — then the ids. The same rows as `id IN (…)` alone (an id's time is a function of
 * the id), but the key prunes every granule outside those times, so a chunk of new UUIDv7 ids
 * reads only the newest granules, however much is stored. Ids scattered over more spans than
 * `maxRanges` are matched by `(time, id)` pairs, which the key prunes as precisely, for a
 * little more CPU (bench/id-check.ts).
 */
function keyIn(ids: readonly string[], source = idList(ids)): string {
  const times: number[] = [];
  let others = false;
  for (const id of ids) {
    const ms = v7Millis(id);
    if (ms === null) others = true;
    else times.push(ms);
  }
  times.sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const t of times) {
    const last = ranges[ranges.length - 1];
    if (last && t - last[1] <= rangeGapMs) last[1] = t;
    else ranges.push([t, t]);
  }
  if (ranges.length > maxRanges) return `(UUIDv7ToDateTime(id), id) IN (SELECT UUIDv7ToDateTime(id), id FROM (${source}))`;
  const when = ranges.map(([lo, hi]) => `UUIDv7ToDateTime(id) BETWEEN fromUnixTimestamp64Milli(${lo}, 'UTC') AND fromUnixTimestamp64Milli(${hi}, 'UTC')`);
  if (others) when.push(`UUIDv7ToDateTime(id) = fromUnixTimestamp64Milli(0, 'UTC')`);
  if (!when.length) return '0';
  return `(${when.join(' OR ')}) AND id IN (${source})`;
}

/** the statement that answers which of `ids` (distinct lower-case UUIDs) a stream's ids table holds, one `held` column */
export const heldIdsSql = (stream: StreamName, ids: readonly string[], source?: string) => `SELECT toString(id) AS held FROM ${idsTable(stream)} WHERE ${keyIn(ids, source)}`;

/** distinct lower-case UUIDs of `ids`, in one pass (a chunk's 20,000 ids: no intermediate arrays) */
export function uuidsOf(ids: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of ids) {
    if (!isUuidText(raw)) continue;
    const i = raw.toLowerCase();
    if (!seen.has(i)) {
      seen.add(i);
      out.push(i);
    }
  }
  return out;
}

/**
 * Which of these ids the stream's stored ids hold (lower-case): one primary-key read per chunk
 * of ids, whatever entity or time each claims. Ids that are not UUIDs are never stored.
 *
 * (The alias matters: `SELECT toString(id) AS id … WHERE id IN …` would compare the alias,
 * a String, and read the whole table — the cause of the "matched nothing" once seen here.)
 */
export async function heldIds(client: ClickHouseClient, stream: StreamName, ids: Iterable<string>): Promise<Set<string>> {
  const list = Array.isArray(ids) ? (ids as readonly string[]) : [...ids];
  // `haidang store` answers from what it stored lately, asking chDB only of what it cannot rule
  // out; it checks the ids itself (gateway/held-ids.ts), so they go as they are
  const remote = list.length ? await heldIdsEndpointFor(client)?.held(stream, list) : undefined;
  if (remote) return new Set(remote);
  const wanted = uuidsOf(list);
  const found = new Set<string>();
  for (let i = 0; i < wanted.length; i += chunk) {
    const part = i === 0 && wanted.length <= chunk ? wanted : wanted.slice(i, i + chunk);
    const lookup = (source?: string) => heldIdsSql(stream, part, source);
    const big = part.length >= fewestForFile ? idFilesFor(client) : undefined;
    for (const r of big ? await big.rows<{ held: string }>(part, lookup) : await rows<{ held: string }>(client, lookup())) found.add(r.held);
  }
  return found;
}

/**
 * Of events whose id is held, those whose content differs from the stored report (entity,
 * time, source, version or any payload column): a conflicting id, not a resend. With
 * `unseen`, an id whose stored row could not be read back at all goes there instead: nothing
 * shows that it differs. Both sides
 * are fingerprinted by the same SQL — the stored rows found through the stored ids, the
 * incoming lines read by `format(TabSeparated, …)` — so a number written `1.0` or `1` and a
 * time with any offset compare as ClickHouse stores them.
 */
export async function differingIds(client: ClickHouseClient, stream: StreamName, events: ReadonlyArray<{ id: string; line: string }>, unseen?: Set<string>): Promise<Set<string>> {
  if (!events.length) return new Set();
  const fp = fingerprintSql(stream);
  const ids = uuidsOf(events.map((e) => e.id));
  const stored = new Map<string, Set<string>>();
  for (const r of await rows<{ event_id: string; fp: string }>(client, `SELECT toString(id) AS event_id, ${fp} AS fp FROM ${stream}_raw WHERE (entity, observed_at, id) IN (SELECT entity, observed_at, id FROM ${idsTable(stream)} WHERE ${keyIn(ids)})`)) {
    let s = stored.get(r.event_id);
    if (!s) stored.set(r.event_id, (s = new Set()));
    s.add(r.fp);
  }
  const data = events.map((e) => e.line).join('\n');
  const incoming = await rows<{ event_id: string; fp: string }>(client, `SELECT toString(id) AS event_id, ${fp} AS fp FROM format(TabSeparated, ${sqlString(rawStructure(stream))}, ${sqlString(data)})`);
  const differing = new Set<string>();
  for (const r of incoming) {
    const fps = stored.get(r.event_id);
    // no row of it read back at all: with `unseen` it is told apart from a row with other content
    if (!fps && unseen) unseen.add(r.event_id);
    else if (!fps?.has(r.fp)) differing.add(r.event_id);
  }
  return differing;
}

/**
 * Of events whose ids the store holds, those stored with other content (lower-case ids): a
 * source that sends a new report under an old id. Such an event is not a resend, and is not
 * stored either: the ingest refuses it naming the id, as the processor dead-letters it.
 */
export async function conflictingIds(client: ClickHouseClient, stream: StreamName, events: readonly AnyEvent[], unseen?: Set<string>): Promise<Set<string>> {
  return differingIds(client, stream, events.map((e) => ({ id: e.id, line: eventLine(e, { partition: 0, offset: '0' }) })), unseen);
}

/**
 * Which of these event ids the store already holds, so a retried push, a re-read poller page
 * or a replayed dead letter is not published again. With `deadLetterTopic`, ids refused on
 * that topic count as held too: publishing them again would only dead-letter them twice.
 * Entities and times are not needed: an id is unique in its stream whatever it claims.
 */
export async function storedIds(
  client: ClickHouseClient,
  stream: StreamName,
  events: ReadonlyArray<{ id: string; entity?: string; observedAt?: string }>,
  o: { deadLetterTopic?: string } = {},
): Promise<Set<string>> {
  const found = await heldIds(client, stream, events.map((e) => e.id));
  if (o.deadLetterTopic) {
    const ids = [...new Set(events.map((e) => e.id.toLowerCase()))].filter((i) => isUuidText(i) && !found.has(i));
    for (let i = 0; i < ids.length; i += chunk) {
      const part = ids.slice(i, i + chunk);
      for (const r of await rows<{ held: string }>(client, `SELECT DISTINCT lower(assumeNotNull(event_id)) AS held FROM deadletter WHERE topic = {topic:String} AND lower(assumeNotNull(event_id)) IN (${idList(part, 'String')})`, { topic: o.deadLetterTopic })) found.add(r.held);
    }
  }
  // callers compare with the ids they sent, in whatever case they sent them
  const out = new Set<string>();
  for (const e of events) if (found.has(e.id.toLowerCase())) out.add(e.id);
  return out;
}

/** Offsets of this topic and partition already in `deadletter` (a redelivered batch must not dead-letter twice). */
export async function deadLetteredOffsets(client: ClickHouseClient, topic: string, partition: number, offsets: readonly string[]): Promise<Set<string>> {
  const list = offsets.filter((o) => /^\d+$/.test(o));
  if (!list.length) return new Set();
  const r = await rows<{ o: string }>(client, `SELECT DISTINCT toString(log_offset) AS o FROM deadletter WHERE topic = {topic:String} AND log_partition = {p:UInt32} AND log_offset IN (${list.join(',')})`, { topic, p: partition });
  return new Set(r.map((x) => x.o));
}
