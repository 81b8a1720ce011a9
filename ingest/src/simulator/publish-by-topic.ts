import type { StreamName, TopicNames, Transport } from '@haidang/stream';

/**
 * Publishes a batch of events, one publish call per topic, each message keyed by its entity
 * (so per-entity order holds on a partitioned log). Order within a topic is the batch's.
 * Returns how many went to each stream.
 */
export async function publishByTopic(transport: Transport, topics: TopicNames, events: ReadonlyArray<{ stream: StreamName; entity: string }>): Promise<Map<StreamName, number>> {
  const byStream = new Map<StreamName, Array<{ key: string; value: string }>>();
  for (const e of events) {
    const list = byStream.get(e.stream) ?? [];
    list.push({ key: e.entity, value: JSON.stringify(e) });
    byStream.set(e.stream, list);
  }
  await Promise.all([...byStream].map(([stream, messages]) => transport.publish(topics.of(stream), messages)));
  return new Map([...byStream].map(([s, m]) => [s, m.length]));
}

/** adds one batch's per-stream counts into running totals */
export function addCounts(total: Map<StreamName, number>, batch: Map<StreamName, number>): void {
  for (const [s, n] of batch) total.set(s, (total.get(s) ?? 0) + n);
}
