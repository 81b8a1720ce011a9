import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { storeLogPositions } from '../store/log-positions.ts';
import { MemoryTransport } from '../transport/memory.ts';
import { Processor } from './processor.ts';
import { TopicNames } from './topic-names.ts';

export interface EmbeddedPipeline {
  transport: MemoryTransport;
  topics: TopicNames;
  processor: Processor;
  stop(): Promise<void>;
}

/**
 * The embedded spine over an open, migrated store: the in-process log with its topics and a
 * processor whose commits make each publish durable. The workspaces' tests build on it, so
 * every suite stores through the real processor path.
 */
export async function startEmbeddedPipeline(o: { store: ClickHouseClient; logger: Logger; groupId?: string; partitions?: number; prefix?: string }): Promise<EmbeddedPipeline> {
  const groupId = o.groupId ?? 'g';
  const transport = new MemoryTransport({ durableGroups: [groupId], lingerMs: 0, positions: storeLogPositions(o.store) });
  const topics = new TopicNames(o.prefix ?? '');
  await transport.ensureTopics(topics.all(), o.partitions ?? 2);
  const processor = new Processor({ transport, store: o.store, logger: o.logger, topics, groupId });
  await processor.start();
  return {
    transport,
    topics,
    processor,
    stop: async () => {
      await processor.stop();
      await transport.close();
    },
  };
}
