import type { ClickHouseClient } from '@clickhouse/client';
import type { DataStreamName } from '@haidang/stream';

/**
 * Which of these event ids the store already holds: stored in `<stream>_raw`, or refused
 * and kept in `deadletter` (publishing a refused event again would only dead-letter it
 * twice; a fixed upstream record has a new version, hence a new id). A re-read page (inclusive cursor,
 * a retry after a crash between publish and cursor write) must not add rows to the raw
 * history; the ids are deterministic, so the store can answer. Entities narrow the read to
 * the primary key's first column. The ids are compared as text: `id IN {ids:Array(UUID)}`
 * found nothing on chDB 3.4 (measured, fhir-capacity.test.ts), a silent false "not stored".
 */
export async function storedIds(client: ClickHouseClient, stream: DataStreamName, topic: string, events: ReadonlyArray<{ id: string; entity: string }>): Promise<Set<string>> {
  if (!events.length) return new Set();
  const rs = await client.query({
    query: `SELECT toString(id) AS id FROM ${stream}_raw WHERE entity IN {entities:Array(String)} AND toString(id) IN {ids:Array(String)}
      UNION DISTINCT SELECT assumeNotNull(event_id) AS id FROM deadletter WHERE topic = {topic:String} AND event_id IN {ids:Array(String)}`,
    query_params: { topic, entities: [...new Set(events.map((e) => e.entity))], ids: events.map((e) => e.id) },
    format: 'JSONEachRow',
  });
  return new Set((await rs.json<{ id: string }>()).map((r) => r.id));
}
