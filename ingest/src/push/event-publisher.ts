import type { ClickHouseClient } from '@clickhouse/client';
import type { DataStreamName, TopicNames, Transport } from '@haidang/stream';

export interface PublishResult {
  published: number;
  /** ids already in the store (a retry): not published again */
  duplicates: Set<string>;
}

/**
 * Puts validated events on their stream's topic, keyed by entity, and resolves once the
 * transport says they are durable (Kafka acks=-1; embedded: stored by the processor).
 *
 * The store's raw tables keep every report, so a retried request must not publish the same
 * ids again: ids already in `<stream>_raw` are skipped. The lookup names entities and the
 * time span so ClickHouse reads only the parts of the primary key (entity, observed_at, id)
 * that can hold them.
 */
export class EventPublisher {
  constructor(
    private readonly store: ClickHouseClient,
    private readonly transport: Transport,
    private readonly topics: TopicNames,
    private readonly lookupChunk = 1_000,
  ) {}

  async storedIds(stream: DataStreamName, events: ReadonlyArray<{ id: string; entity: string; observedAt: string }>): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < events.length; i += this.lookupChunk) {
      const part = events.slice(i, i + this.lookupChunk);
      const times = part.map((e) => Date.parse(e.observedAt));
      const rs = await this.store.query({
        query: `SELECT toString(id) AS id FROM ${stream}_raw WHERE entity IN {entities:Array(String)}
          AND observed_at BETWEEN fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND fromUnixTimestamp64Milli({to:Int64}, 'UTC')
          AND toString(id) IN {ids:Array(String)}`,
        query_params: { entities: [...new Set(part.map((e) => e.entity))], ids: part.map((e) => e.id.toLowerCase()), from: Math.min(...times), to: Math.max(...times) },
        format: 'JSONEachRow',
      });
      // toString(id) IN Array(String): an Array(UUID) parameter matched nothing on chDB
      for (const r of await rs.json<{ id: string }>()) found.add(r.id);
    }
    return found;
  }

  async publish(stream: DataStreamName, events: ReadonlyArray<{ id: string; entity: string; observedAt: string }>): Promise<PublishResult> {
    if (!events.length) return { published: 0, duplicates: new Set() };
    const duplicates = await this.storedIds(stream, events);
    const fresh = events.filter((e) => !duplicates.has(e.id.toLowerCase()));
    if (fresh.length) await this.transport.publish(this.topics.of(stream), fresh.map((e) => ({ key: e.entity, value: JSON.stringify(e) })));
    return { published: fresh.length, duplicates };
  }
}
