import type { ClickHouseClient } from '@clickhouse/client';
import type { DataStreamName } from '../contracts/registry.ts';

/** rows looked up per query: the id list travels as a query parameter */
const chunk = 1_000;

/**
 * Which of these event ids the store already holds, so a retried push, a re-read poller page
 * or a replayed dead letter is not published again (the raw history keeps every copy it is
 * given; the KPI tables would collapse it, the history would not). Entities and, when every
 * event has one, the observation span narrow the read to the primary key (entity,
 * observed_at, id). With `deadLetterTopic`, ids refused on that topic count as held too:
 * publishing them again would only dead-letter them twice.
 *
 * Ids are compared as text: `id IN {ids:Array(UUID)}` matched nothing on chDB 3.4 — a silent
 * "not stored" (measured).
 */
export async function storedIds(
  client: ClickHouseClient,
  stream: DataStreamName,
  events: ReadonlyArray<{ id: string; entity?: string; observedAt?: string }>,
  o: { deadLetterTopic?: string } = {},
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < events.length; i += chunk) {
    const part = events.slice(i, i + chunk);
    const ids = part.map((e) => e.id.toLowerCase());
    const entities = part.every((e) => e.entity) ? [...new Set(part.map((e) => e.entity!))] : null;
    const times = part.every((e) => e.observedAt) ? part.map((e) => Date.parse(e.observedAt!)) : null;
    const where = [
      entities ? 'entity IN {entities:Array(String)}' : null,
      times ? "observed_at BETWEEN fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND fromUnixTimestamp64Milli({to:Int64}, 'UTC')" : null,
      'toString(id) IN {ids:Array(String)}',
    ].filter(Boolean);
    const dead = o.deadLetterTopic ? ' UNION DISTINCT SELECT assumeNotNull(event_id) AS id FROM deadletter WHERE topic = {topic:String} AND event_id IN {ids:Array(String)}' : '';
    const rs = await client.query({
      query: `SELECT toString(id) AS id FROM ${stream}_raw WHERE ${where.join(' AND ')}${dead}`,
      query_params: { ids, topic: o.deadLetterTopic ?? '', ...(entities ? { entities } : {}), ...(times ? { from: Math.min(...times), to: Math.max(...times) } : {}) },
      format: 'JSONEachRow',
    });
    for (const r of await rs.json<{ id: string }>()) found.add(r.id);
  }
  return found;
}
