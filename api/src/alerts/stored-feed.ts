import type { ClickHouseClient } from '@clickhouse/client';
import { storedIds, type AnyEvent, type DataStreamName, type Logger, type Processor, type StoredListener, type StreamName, type TopicNames } from '@haidang/stream';
import { metricStream } from './metrics.ts';

/** the streams some rule reads; a feed for the alert engine follows only these */
export const judgedStreams = [...new Set(Object.values(metricStream))] as DataStreamName[];

export interface StoredFeed extends Pick<Processor, 'onStored'> {
  /** stops waiting; what is still pending is handed on at once (so a clean stop judges it) */
  close(): Promise<void>;
}

interface Pending {
  stream: DataStreamName;
  events: AnyEvent[];
  heardAt: number;
}

/**
 * The alert engine's feed in an api process that runs no processor (`haidang api --alerts`).
 * A live tail hears an event when it is published, a moment before the stream workers store
 * it, while rules read the store (the 7-day price median, the forecast): so the feed hands a
 * batch on only once the workers stored it or dead-lettered it, or after `maxWaitMs` anyway
 * (a late judgement beats none when the workers are down). Batches stay in the order heard,
 * and everything pending is checked with one lookup per stream, not one per batch.
 */
export function storedFeed(source: Pick<Processor, 'onStored'>, o: { store: ClickHouseClient; topics: TopicNames; logger: Logger; pollMs?: number; maxWaitMs?: number }): StoredFeed {
  const pollMs = o.pollMs ?? 250;
  const maxWaitMs = o.maxWaitMs ?? 60_000;
  const listeners = new Set<StoredListener>();
  let pending: Pending[] = [];
  let running: Promise<void> | undefined;
  let closed = false;
  let wake: (() => void) | undefined;

  const emit = (batches: Pending[]) => {
    for (const b of batches)
      for (const l of listeners) {
        try {
          l(b.stream, b.events);
        } catch (e) {
          o.logger.error({ err: e }, 'alert feed listener failed');
        }
      }
  };

  /** the ids of `batches` not yet stored or dead-lettered, per stream */
  const unsettled = async (batches: Pending[]): Promise<number> => {
    let missing = 0;
    for (const stream of new Set(batches.map((b) => b.stream))) {
      const events = batches.filter((b) => b.stream === stream).flatMap((b) => b.events);
      const held = await storedIds(o.store, stream, events, { deadLetterTopic: o.topics.of(stream) });
      missing += new Set(events.map((e) => e.id.toLowerCase()).filter((id) => !held.has(id))).size;
    }
    return missing;
  };

  const drain = async () => {
    while (pending.length && !closed) {
      const batches = pending;
      pending = [];
      for (;;) {
        const missing = await unsettled(batches).catch((e: unknown) => {
          o.logger.warn({ err: (e as Error).message }, 'alert feed: could not read the store; waiting');
          return -1;
        });
        if (missing === 0 || closed) break;
        if (Date.now() - batches[0]!.heardAt > maxWaitMs) {
          o.logger.warn({ missing, waitedMs: Date.now() - batches[0]!.heardAt }, 'alert feed: events still not stored; judging them anyway');
          break;
        }
        await new Promise<void>((r) => {
          const t = setTimeout(r, pollMs);
          wake = () => (clearTimeout(t), r());
        });
      }
      emit(batches);
    }
  };

  const kick = () => {
    running ??= drain().finally(() => {
      running = undefined;
      if (pending.length && !closed) kick(); // heard between the last check and here
    });
  };
  const off = source.onStored((stream, events) => {
    if (closed || !(judgedStreams as StreamName[]).includes(stream)) return;
    pending.push({ stream: stream as DataStreamName, events, heardAt: Date.now() });
    kick();
  });

  return {
    onStored(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      off();
      closed = true;
      wake?.();
      await running;
      emit(pending);
      pending = [];
    },
  };
}
