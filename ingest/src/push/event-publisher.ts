import type { ClickHouseClient } from '@clickhouse/client';
import { storedIds, type DataStreamName, type TopicNames, type Transport } from '@haidang/stream';

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
 * ids again: ids the store already holds are skipped (`storedIds`).
 */
export class EventPublisher {
  constructor(
    private readonly store: ClickHouseClient,
    private readonly transport: Transport,
    private readonly topics: TopicNames,
  ) {}

  async publish(stream: DataStreamName, events: ReadonlyArray<{ id: string; entity: string; observedAt: string }>): Promise<PublishResult> {
    if (!events.length) return { published: 0, duplicates: new Set() };
    const duplicates = await storedIds(this.store, stream, events);
    const fresh = events.filter((e) => !duplicates.has(e.id.toLowerCase()));
    if (fresh.length) await this.transport.publish(this.topics.of(stream), fresh.map((e) => ({ key: e.entity, value: JSON.stringify(e) })));
    return { published: fresh.length, duplicates };
  }
}
