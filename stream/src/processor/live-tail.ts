import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { decodeEvent } from '../contracts/decode.ts';
import type { AnyEvent, StreamName } from '../contracts/registry.ts';
import type { Subscription, Transport } from '../transport/transport.ts';
import type { StoredListener } from './processor.ts';
import type { TopicNames } from './topic-names.ts';

/**
 * How an api instance that runs no processor (distributed mode: `haidang api`) hears of new
 * events for its live channels: it reads the data topics from their end with a consumer group
 * of its own — one per instance, so every instance sees every event — and hands the valid
 * events to its listeners. It only reads: the stream workers' group, offsets and store are
 * untouched, and an invalid event is simply not shown (the workers dead-letter it).
 */
export class LiveTail {
  private readonly listeners = new Set<StoredListener>();
  private subscription: Subscription | undefined;
  readonly groupId: string;

  constructor(private readonly o: { transport: Transport; topics: TopicNames; logger: Logger; streams?: StreamName[]; groupId?: string }) {
    this.groupId = o.groupId ?? `haidang-live-${hostname()}-${process.pid}`;
  }

  onStored(listener: StoredListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<Subscription> {
    const streams = this.o.streams ?? ['capacity', 'vaccination', 'prices', 'dossiers', 'alerts'];
    this.subscription = await this.o.transport.consume({
      groupId: this.groupId,
      topics: streams.map((s) => this.o.topics.of(s)),
      fromBeginning: false,
      handler: async (batch) => {
        const stream = this.o.topics.streamOf(batch.topic);
        if (!stream) return;
        const events: AnyEvent[] = [];
        for (const m of batch.messages) {
          const d = decodeEvent(stream, m.value);
          if (d.ok) events.push(d.event);
        }
        if (!events.length) return;
        for (const l of this.listeners) {
          try {
            l(stream, events);
          } catch (e) {
            this.o.logger.error({ err: e }, 'live listener failed');
          }
        }
      },
    });
    this.o.logger.info({ group: this.groupId }, 'live tail: following the data topics for live channels');
    return this.subscription;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}
