import type { ServiceMetrics, TopicNames, Transport } from '@haidang/stream';

/**
 * The transport as a producer process uses it, counting what it published per stream into
 * `haidang_events_published_total`. Counted after `publish` resolved, so the figure is what
 * the broker acknowledged (acks=-1), whoever published it: simulator, replay or pollers.
 */
export function countPublished(transport: Transport, topics: TopicNames, metrics: ServiceMetrics): Transport {
  return {
    kind: transport.kind,
    ensureTopics: (names, partitions) => transport.ensureTopics(names, partitions),
    async publish(topic, messages) {
      await transport.publish(topic, messages);
      if (messages.length) metrics.eventsPublished.inc({ stream: topics.streamOf(topic) ?? topic }, messages.length);
    },
    consume: (options) => transport.consume(options),
    lag: (groupId, names) => transport.lag(groupId, names),
    close: () => transport.close(),
  };
}
