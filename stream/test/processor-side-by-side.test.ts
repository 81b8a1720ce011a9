import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Processor } from '../src/processor/processor.ts';
import { TopicNames } from '../src/processor/topic-names.ts';
import { migrate } from '../src/store/migration.ts';
import type { Store } from '../src/store/client.ts';
import type { BatchHandler, ConsumeContext, LogBatch, OutgoingMessage, Transport } from '../src/transport/transport.ts';
import { bytesOf, validEvent } from './fixtures/events.ts';
import { queryRows, tempStore } from './fixtures/temp-store.ts';

/**
 * A log that hands the batches of one fetch to the handler side by side, in one synchronous
 * run, as kafkajs does with `partitionsConsumedConcurrently`; what it is told to publish (dead
 * letters) it keeps.
 */
class SideBySideLog implements Transport {
  readonly kind = 'kafka' as const;
  handler: BatchHandler | undefined;
  readonly published: Array<{ topic: string; messages: OutgoingMessage[] }> = [];
  async ensureTopics(): Promise<void> {}
  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.published.push({ topic, messages });
  }
  async consume(o: { handler: BatchHandler }) {
    this.handler = o.handler;
    return { done: new Promise<void>(() => {}), stop: async () => {} };
  }
  async lag() {
    return [];
  }
  async close(): Promise<void> {}
  /** one fetch: every batch handled at once; settles like kafkajs' worker queue */
  fetch(batches: LogBatch[], ctx: ConsumeContext = { heartbeat: async () => {}, isRunning: () => true }) {
    return Promise.allSettled(batches.map((b) => this.handler!(b, ctx)));
  }
}

let store: Store;
beforeAll(async () => {
  store = await tempStore();
  await migrate(store.client);
});
afterAll(async () => store.close());

function batchOf(topic: string, partition: number, firstOffset: number, events: unknown[]): LogBatch {
  return { topic, partition, messages: events.map((e, i) => ({ topic, partition, offset: String(firstOffset + i), key: `k${partition}`, value: bytesOf(e), timestamp: Date.now() })) };
}

async function withLog(prefix: string, run: (log: SideBySideLog, topic: string, p: Processor, lines: string[]) => Promise<void>, o: { soleWriter?: boolean } = {}) {
  const log = new SideBySideLog();
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) });
  const topics = new TopicNames(prefix);
  const processor = new Processor({ transport: log, store: store.client, logger, topics, groupId: 'g', soleWriter: o.soleWriter });
  await processor.start();
  await run(log, topics.of('capacity'), processor, lines);
}

describe('partitions consumed side by side', () => {
  it('their chunks are stored in one insert, every event once; a redelivery of them all is counted, not stored', async () => {
    await withLog('s1.', async (log, topic, p, lines) => {
      const batches = [0, 1, 2, 3].map((part) => batchOf(topic, part, 0, Array.from({ length: 250 }, (_, i) => validEvent('capacity', { entity: `s1-h${part}-${i % 10}` }))));
      const results = await log.fetch(batches);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      const together = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'chunks of partitions side by side stored in one insert');
      expect(together.map((l) => l.chunks)).toEqual([4]);
      const [n] = await queryRows<{ n: string; u: string }>(store, "SELECT count() n, uniqExact(id) u FROM capacity_raw WHERE entity LIKE 's1-%'");
      expect([Number(n!.n), Number(n!.u)]).toEqual([1000, 1000]);
      const [ids] = await queryRows<{ n: string }>(store, "SELECT count() n FROM capacity_ids_by_time FINAL WHERE entity LIKE 's1-%'");
      expect(Number(ids!.n)).toBe(1000);
      expect(p.counters).toMatchObject({ stored: 1000, alreadyStored: 0, deadLettered: 0 });

      await log.fetch(batches);
      const [again] = await queryRows<{ n: string }>(store, "SELECT count() n FROM capacity_raw WHERE entity LIKE 's1-%'");
      expect(Number(again!.n)).toBe(1000);
      expect(p.counters).toMatchObject({ stored: 1000, alreadyStored: 1000 });
    });
  });

  it('one id on two partitions of the same fetch is stored once; with other content the later copy is dead-lettered as a conflicting id', async () => {
    await withLog('s2.', async (log, topic, p) => {
      const a = Array.from({ length: 20 }, (_, i) => validEvent('capacity', { entity: `s2-a-${i}` }));
      const b = Array.from({ length: 20 }, (_, i) => validEvent('capacity', { entity: `s2-b-${i}` }));
      // the same event resent under another key (another partition), and an id reused with other numbers
      b[3] = structuredClone(a[3]!);
      b[7] = { ...structuredClone(a[7]!), payload: { ...a[7]!.payload, bedsOccupied: 121 } };
      await log.fetch([batchOf(topic, 0, 0, a), batchOf(topic, 1, 0, b)]);
      const [n] = await queryRows<{ n: string; u: string }>(store, "SELECT count() n, uniqExact(id) u FROM capacity_raw WHERE entity LIKE 's2-%'");
      expect([Number(n!.n), Number(n!.u)]).toEqual([38, 38]);
      const dead = await queryRows<{ reason: string; event_id: string; log_partition: number }>(store, "SELECT reason, event_id, log_partition FROM deadletter WHERE topic = 's2.ioc.capacity.v1'");
      expect(dead).toEqual([{ reason: 'HD_EVENT_CONFLICTING_ID', event_id: a[7]!.id, log_partition: 1 }]);
      expect(p.counters).toMatchObject({ stored: 38, alreadyStored: 1, deadLettered: 1 });
    });
  });

  it('an outage during their gathered statements names every partition stuck, and stops once they are no longer ours', async () => {
    const { createClient, ClickHouseLogLevel } = await import('@clickhouse/client');
    // nothing listens on port 9: every call is refused, as when the store is down
    const down = createClient({ url: 'http://127.0.0.1:9', request_timeout: 2_000, log: { level: ClickHouseLogLevel.OFF } });
    const log = new SideBySideLog();
    const topics = new TopicNames('s4.');
    const processor = new Processor({ transport: log, store: down, logger: pino({ level: 'silent' }), topics, groupId: 'g', retryDelayMs: 20, maxRetryDelayMs: 50 });
    await processor.start();
    let ours = true;
    const topic = topics.of('capacity');
    const fetched = log.fetch([0, 1].map((part) => batchOf(topic, part, 0, [validEvent('capacity', { entity: `s4-h${part}` })])), { heartbeat: async () => {}, isRunning: () => ours });
    try {
      await expect.poll(() => processor.stuck().map((s) => `${s.topic}/${s.partition}:${s.kind}`).sort(), { timeout: 20_000 }).toEqual(['s4.ioc.capacity.v1/0:outage', 's4.ioc.capacity.v1/1:outage']);
    } finally {
      ours = false;
      const results = await fetched;
      await down.close();
      // nothing stored, nothing committed: both batches are handed back
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    }
  });

  it('a row the store refuses in a gathered insert is dead-lettered alone; the rest of every partition is stored, with no copy left by the refused insert', async () => {
    await store.client.command({ query: "ALTER TABLE capacity_raw ADD CONSTRAINT IF NOT EXISTS refuse_s3 CHECK entity != 's3-refused'" });
    try {
      await withLog('s3.', async (log, topic, p) => {
        const parts = [0, 1, 2].map((part) => Array.from({ length: 30 }, (_, i) => validEvent('capacity', { entity: part === 1 && i === 11 ? 's3-refused' : `s3-h${part}-${i}` })));
        const results = await log.fetch(parts.map((events, part) => batchOf(topic, part, 100, events)));
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
        const [n] = await queryRows<{ n: string; u: string }>(store, "SELECT count() n, uniqExact(id) u FROM capacity_raw WHERE entity LIKE 's3-%'");
        expect([Number(n!.n), Number(n!.u)]).toEqual([89, 89]);
        const [ids] = await queryRows<{ n: string }>(store, "SELECT count() n FROM capacity_ids_by_time FINAL WHERE entity LIKE 's3-%'");
        expect(Number(ids!.n)).toBe(89);
        const dead = await queryRows<{ reason: string; event_id: string }>(store, "SELECT reason, event_id FROM deadletter WHERE topic = 's3.ioc.capacity.v1'");
        expect(dead).toEqual([{ reason: 'HD_EVENT_REJECTED_BY_STORE', event_id: parts[1]![11]!.id }]);
        expect(p.counters).toMatchObject({ stored: 89, deadLettered: 1 });
        expect(log.published.flatMap((m) => m.messages)).toHaveLength(1);
      });
    } finally {
      await store.client.command({ query: 'ALTER TABLE capacity_raw DROP CONSTRAINT IF EXISTS refuse_s3' });
    }
  });
});

describe("a processor that is its store's one writer (embedded mode)", () => {
  const count = async (like: string) => {
    const [r] = await queryRows<{ n: string; u: string }>(store, `SELECT count() n, uniqExact(id) u FROM capacity_raw WHERE entity LIKE '${like}'`);
    return [Number(r!.n), Number(r!.u)];
  };

  it('stores chunks of new events without asking the store about their ids, and still skips a resend and a redelivery and dead-letters a conflicting id', async () => {
    await withLog(
      's5.',
      async (log, topic, p) => {
        const parts = [0, 1, 2, 3].map((part) => Array.from({ length: 100 }, (_, i) => validEvent('capacity', { entity: `s5-h${part}-${i}` })));
        await log.fetch(parts.map((events, part) => batchOf(topic, part, 0, events)));
        await log.fetch(parts.map((_, part) => batchOf(topic, part, 100, [validEvent('capacity', { entity: `s5-later-${part}` })])));
        expect(await count('s5-%')).toEqual([404, 404]);
        expect(p.counters).toMatchObject({ stored: 404, idLookups: 0 });

        // a source resends five events (new offsets), reuses an id with other numbers, and a fetch is redelivered
        const resent = parts[1]!.slice(0, 5).map((e) => structuredClone(e));
        const reused = { ...structuredClone(parts[2]![9]!), payload: { ...parts[2]![9]!.payload, bedsOccupied: 7 } };
        await log.fetch([batchOf(topic, 1, 200, resent), batchOf(topic, 2, 200, [reused])]);
        await log.fetch([batchOf(topic, 0, 0, parts[0]!)]);
        expect(await count('s5-%')).toEqual([404, 404]);
        const dead = await queryRows<{ reason: string; event_id: string }>(store, "SELECT reason, event_id FROM deadletter WHERE topic = 's5.ioc.capacity.v1'");
        expect(dead).toEqual([{ reason: 'HD_EVENT_CONFLICTING_ID', event_id: reused.id }]);
        expect(p.counters).toMatchObject({ stored: 404, alreadyStored: 105, deadLettered: 1 });
        expect(p.counters.idLookups).toBeGreaterThan(0);
      },
      { soleWriter: true },
    );
  });

  it('started again on a store that holds events, asks the store about every id as old as the newest stored', async () => {
    const events = Array.from({ length: 50 }, (_, i) => validEvent('capacity', { entity: `s6-h${i}` }));
    await withLog('s6.', async (log, topic) => void (await log.fetch([batchOf(topic, 0, 0, events)])), { soleWriter: true });
    // a new process: what it stored before is known only to the store
    await withLog(
      's6.',
      async (log, topic, p) => {
        const fresh = Array.from({ length: 10 }, (_, i) => validEvent('capacity', { entity: `s6-new-${i}` }));
        await log.fetch([batchOf(topic, 0, 50, [...events.map((e) => structuredClone(e)), ...fresh])]);
        expect(await count('s6-%')).toEqual([60, 60]);
        expect(p.counters).toMatchObject({ stored: 10, alreadyStored: 50, idLookups: 1 });
      },
      { soleWriter: true },
    );
  });
});
