import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Processor } from '../src/processor/processor.ts';
import { TopicNames } from '../src/processor/topic-names.ts';
import { migrate } from '../src/store/migration.ts';
import type { Store } from '../src/store/client.ts';
import { MemoryTransport } from '../src/transport/memory.ts';
import { bytesOf, validEvent } from './fixtures/events.ts';
import { queryRows, tempStore } from './fixtures/temp-store.ts';

let store: Store;
const logger = pino({ level: 'silent' });
beforeAll(async () => {
  store = await tempStore();
  await migrate(store.client);
});
afterAll(async () => store.close());

async function withPipeline(prefix: string, run: (t: MemoryTransport, topics: TopicNames, p: Processor) => Promise<void>) {
  const transport = new MemoryTransport({ durableGroups: ['g'], lingerMs: 0 });
  const topics = new TopicNames(prefix);
  await transport.ensureTopics(topics.all(), 4);
  const processor = new Processor({ transport, store: store.client, logger, topics, groupId: 'g' });
  await processor.start();
  try {
    await run(transport, topics, processor);
  } finally {
    await processor.stop();
    await transport.close();
  }
}

describe('processor', () => {
  it('dead-letters only the rows the store itself refuses and stores the rest of their batch', async () => {
    // a CHECK the store enforces and zod does not know: the store refuses that row alone
    await store.client.command({ query: "ALTER TABLE dossiers_raw ADD CONSTRAINT IF NOT EXISTS refuse_p9 CHECK entity != 'p9-refused'" });
    try {
      await withPipeline('p9.', async (t, topics, p) => {
        const events = Array.from({ length: 30 }, (_, i) => validEvent('dossiers', { entity: i === 7 || i === 21 ? 'p9-refused' : `p9-agency-${i % 3}` }));
        await t.publish(topics.of('dossiers'), events.map((e) => ({ key: 'same-partition', value: bytesOf(e) })));
        const [n] = await queryRows<{ n: string; u: string }>(store, "SELECT count() n, uniqExact(id) u FROM dossiers_raw WHERE entity LIKE 'p9-%'");
        expect([Number(n!.n), Number(n!.u)]).toEqual([28, 28]);
        const dead = await queryRows<{ reason: string; event_id: string | null; raw: string }>(store, "SELECT reason, event_id, raw FROM deadletter WHERE topic = 'p9.ioc.dossiers.v1'");
        expect(dead.map((d) => d.reason)).toEqual(['HD_EVENT_REJECTED_BY_STORE', 'HD_EVENT_REJECTED_BY_STORE']);
        expect(dead.map((d) => JSON.parse(Buffer.from(d.raw, 'base64').toString()).id).sort()).toEqual([events[7]!.id, events[21]!.id].sort());
        expect(p.counters).toMatchObject({ stored: 28, deadLettered: 2 });
      });
    } finally {
      await store.client.command({ query: 'ALTER TABLE dossiers_raw DROP CONSTRAINT IF EXISTS refuse_p9' });
    }
  });

  it('stores the valid events once and dead-letters each bad one with its reason and bytes', async () => {
    await withPipeline('p1.', async (t, topics, p) => {
      const good = Array.from({ length: 50 }, (_, i) => validEvent('prices', { entity: `p1-market-${i % 5}` }));
      const wrongType = validEvent('prices', { entity: 'p1-market-0' }) as any;
      wrongType.payload.priceVnd = '95.000';
      const badVersion = { ...validEvent('prices', { entity: 'p1-market-0' }), version: 9 };
      const noEntity = validEvent('prices') as any;
      delete noEntity.entity;
      const mixed = [
        ...good.slice(0, 20).map((e) => ({ key: e.entity, value: bytesOf(e) })),
        { key: 'x', value: Buffer.from('{not json') },
        { key: 'x', value: bytesOf(wrongType) },
        { key: 'x', value: bytesOf(badVersion) },
        { key: 'x', value: bytesOf(noEntity) },
        ...good.slice(20).map((e) => ({ key: e.entity, value: bytesOf(e) })),
      ];
      await t.publish(topics.of('prices'), mixed);
      const [n] = await queryRows<{ n: string; u: string }>(store, "SELECT count() n, uniqExact(id) u FROM prices_raw WHERE entity LIKE 'p1-%'");
      expect(Number(n!.n)).toBe(50);
      expect(Number(n!.u)).toBe(50);
      const dead = await queryRows<{ reason: string; field: string; raw: string }>(store, "SELECT reason, field, raw FROM deadletter WHERE topic = 'p1.ioc.prices.v1' ORDER BY reason, field");
      expect(dead.map((d) => `${d.reason}:${d.field}`)).toEqual(['HD_EVENT_INVALID:entity', 'HD_EVENT_INVALID:payload.priceVnd', 'HD_EVENT_NOT_JSON:(event)', 'HD_EVENT_UNSUPPORTED_VERSION:version']);
      expect(dead.map((d) => Buffer.from(d.raw, 'base64').toString())).toContain('{not json');
      expect(p.counters).toMatchObject({ stored: 50, deadLettered: 4 });
    });
  });

  it('a redelivered range is not stored twice, even when cut differently', async () => {
    await withPipeline('p2.', async (t, topics) => {
      const events = Array.from({ length: 30 }, () => validEvent('capacity', { entity: 'p2-facility' }));
      await t.publish(topics.of('capacity'), events.map((e) => ({ key: e.entity, value: bytesOf(e) })));
    });
    // a new processor (new assignment) in the same group on a new log that replays the same
    // offsets with different batch boundaries: simulate by a fresh log whose first 10
    // offsets repeat what is stored
    await withPipeline('p2.', async (t, topics) => {
      const again = await queryRows<{ id: string }>(store, "SELECT toString(id) id FROM capacity_raw WHERE entity = 'p2-facility' ORDER BY log_offset LIMIT 10");
      expect(again.length).toBe(10);
      const replay = again.map((r) => validEvent('capacity', { entity: 'p2-facility', id: r.id }));
      await t.publish(topics.of('capacity'), replay.map((e) => ({ key: e.entity, value: bytesOf(e) })));
    });
    const [r] = await queryRows<{ n: string; u: string }>(store, "SELECT count() n, uniqExact(id) u FROM capacity_raw WHERE entity = 'p2-facility'");
    expect(Number(r!.n)).toBe(30);
    expect(Number(r!.u)).toBe(30);
  });

  it('tells listeners (live channels, alerts) about stored events only', async () => {
    await withPipeline('p3.', async (t, topics, p) => {
      const heard: string[] = [];
      p.onStored((s, events) => heard.push(...events.map((e) => `${s}:${e.entity}`)));
      const ok = validEvent('dossiers', { entity: 'p3-agency' });
      await t.publish(topics.of('dossiers'), [{ key: 'a', value: bytesOf(ok) }, { key: 'a', value: Buffer.from('nope') }]);
      expect(heard).toEqual(['dossiers:p3-agency']);
    });
  });
});

describe('an id is stored once, whatever it claims', () => {
  it('a resend with the same id (new offset) is counted, not stored; the same id with other content is dead-lettered; a correction is its own row', async () => {
    await withPipeline('p4.', async (t, topics, p) => {
      const topic = topics.of('capacity');
      const original = validEvent('capacity', { entity: 'p4-facility', observedAt: '2022-08-15T07:00:00+07:00' });
      await t.publish(topic, [{ key: original.entity, value: bytesOf(original) }]);
      // a resend: same id and report, received again (new receivedAt, as a push gives it), other key order
      const { payload, ...envelope } = original;
      const resend = { payload, ...envelope, receivedAt: '2022-08-15T09:00:00+07:00' };
      await t.publish(topic, [{ key: original.entity, value: bytesOf(resend) }, { key: original.entity, value: bytesOf(resend) }]);
      // the same id claiming another entity, another time, other numbers: three conflicts
      const otherEntity = { ...original, entity: 'p4-elsewhere' };
      const otherTime = { ...original, observedAt: '2022-08-16T07:00:00+07:00' };
      const otherNumbers = structuredClone(original);
      otherNumbers.payload.bedsOccupied = 121;
      await t.publish(topic, [otherEntity, otherTime, otherNumbers].map((e) => ({ key: e.entity, value: bytesOf(e) })));
      // a correction: a new id for the same entity and time
      const correction = validEvent('capacity', { entity: 'p4-facility', observedAt: '2022-08-15T07:00:00+07:00', receivedAt: '2022-08-15T10:00:00+07:00' });
      correction.payload.bedsOccupied = 150;
      await t.publish(topic, [{ key: correction.entity, value: bytesOf(correction) }]);

      const raw = await queryRows<{ id: string; entity: string; b: number }>(store, "SELECT toString(id) AS id, entity, beds_occupied AS b FROM capacity_raw WHERE entity LIKE 'p4-%' ORDER BY received_at");
      expect(raw).toEqual([{ id: original.id, entity: 'p4-facility', b: 120 }, { id: correction.id, entity: 'p4-facility', b: 150 }]);
      const dead = await queryRows<{ reason: string; field: string; event_id: string }>(store, "SELECT reason, field, event_id FROM deadletter WHERE topic = 'p4.ioc.capacity.v1'");
      expect(dead).toEqual(Array(3).fill({ reason: 'HD_EVENT_CONFLICTING_ID', field: 'id', event_id: original.id }));
      expect(p.counters).toMatchObject({ stored: 2, alreadyStored: 2, deadLettered: 3 });
      const [latest] = await queryRows<{ b: number }>(store, "SELECT beds_occupied AS b FROM capacity_latest FINAL WHERE entity = 'p4-facility'");
      expect(latest!.b).toBe(150);
    });
  });

  it('two copies of one id in one batch: the second is a duplicate, or a conflict when it differs', async () => {
    await withPipeline('p5.', async (t, topics, p) => {
      const e = validEvent('prices', { entity: 'p5-market' });
      const other = structuredClone(e);
      other.payload.priceVnd = 1;
      await t.publish(topics.of('prices'), [e, e, other].map((x) => ({ key: x.entity, value: bytesOf(x) })));
      const [r] = await queryRows<{ n: string }>(store, "SELECT count() AS n FROM prices_raw WHERE entity = 'p5-market'");
      expect(Number(r!.n)).toBe(1);
      expect(p.counters).toMatchObject({ stored: 1, alreadyStored: 1, deadLettered: 1, deadLetterReasons: { HD_EVENT_CONFLICTING_ID: 1 } });
    });
  });
});

describe('several topic prefixes on one store', () => {
  it('two prefixes whose keys land on the same partitions: every event of each stored once', async () => {
    const runs = await Promise.all(
      ['cityA.', 'cityB.'].map((prefix) =>
        withPipeline(prefix, async (t, topics) => {
          // same keys, same partitions, same offsets in both logs
          const events = Array.from({ length: 40 }, (_, i) => validEvent('dossiers', { entity: `p6-agency-${i % 4}` }));
          await t.publish(topics.of('dossiers'), events.map((e) => ({ key: e.entity, value: bytesOf(e) })));
          await t.publish(topics.of('dossiers'), [{ key: 'p6-agency-0', value: Buffer.from('not json') }]);
        }),
      ),
    );
    expect(runs.length).toBe(2);
    const [r] = await queryRows<{ n: string; u: string }>(store, "SELECT count() n, uniqExact(id) u FROM dossiers_raw WHERE entity LIKE 'p6-%'");
    expect([Number(r!.n), Number(r!.u)]).toEqual([80, 80]);
    const dead = await queryRows<{ topic: string }>(store, "SELECT topic FROM deadletter WHERE topic LIKE 'city%' ORDER BY topic");
    expect(dead.map((d) => d.topic)).toEqual(['cityA.ioc.dossiers.v1', 'cityB.ioc.dossiers.v1']);
  });
});

describe('every store refusal is classified', () => {
  it('a row a view cannot compute (DECIMAL_OVERFLOW, 407) is dead-lettered alone with the reason; the rest of its batch is stored', async () => {
    // the latest-state view's toUnixTimestamp overflows past 2106: here a view that does the same for one entity
    await store.client.command({ query: "CREATE TABLE IF NOT EXISTS p7_overflow (v UInt64) ENGINE = MergeTree ORDER BY v" });
    await store.client.command({ query: "CREATE MATERIALIZED VIEW IF NOT EXISTS p7_overflow_mv TO p7_overflow AS SELECT toUInt64(toUnixTimestamp(observed_at + toIntervalYear(if(entity = 'p7-far', 1000, 0)))) AS v FROM prices_raw" });
    try {
      await withPipeline('p7.', async (t, topics, p) => {
        const events = Array.from({ length: 40 }, (_, i) => validEvent('prices', { entity: i === 13 ? 'p7-far' : `p7-market-${i % 3}` }));
        await t.publish(topics.of('prices'), events.map((e) => ({ key: 'one-partition', value: bytesOf(e) })));
        const [n] = await queryRows<{ n: string }>(store, "SELECT count() n FROM prices_raw WHERE entity LIKE 'p7-%'");
        expect(Number(n!.n)).toBe(39);
        const dead = await queryRows<{ reason: string; message: string; event_id: string }>(store, "SELECT reason, message, event_id FROM deadletter WHERE topic = 'p7.ioc.prices.v1'");
        expect(dead).toHaveLength(1);
        expect(dead[0]).toMatchObject({ reason: 'HD_EVENT_REJECTED_BY_STORE', event_id: events[13]!.id });
        expect(dead[0]!.message).toMatch(/^DECIMAL_OVERFLOW \(407\)/);
        expect(p.counters).toMatchObject({ stored: 39, deadLettered: 1 });
        // what the refused inserts had left in raw and the views was undone: no copy anywhere, the good rows everywhere
        const [ids] = await queryRows<{ n: string; far: string }>(store, "SELECT count() n, countIf(entity = 'p7-far') far FROM prices_ids_by_time FINAL WHERE entity LIKE 'p7-%'");
        expect([Number(ids!.n), Number(ids!.far)]).toEqual([39, 0]);
        const latest = await queryRows<{ entity: string }>(store, "SELECT entity FROM prices_latest FINAL WHERE entity LIKE 'p7-%' ORDER BY entity");
        expect(latest.map((r) => r.entity)).toEqual(['p7-market-0', 'p7-market-1', 'p7-market-2']);
      });
    } finally {
      await store.client.command({ query: 'DROP VIEW IF EXISTS p7_overflow_mv' });
      await store.client.command({ query: 'DROP TABLE IF EXISTS p7_overflow' });
    }
  });

  it('an outage is retried with a log line, and the partition is reported stuck with the reason', async () => {
    const { createClient, ClickHouseLogLevel } = await import('@clickhouse/client');
    // nothing listens on port 9: every call is refused, as when the store is down
    const down = createClient({ url: 'http://127.0.0.1:9', request_timeout: 2_000, log: { level: ClickHouseLogLevel.OFF } });
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
    const transport = new MemoryTransport({ durableGroups: ['g'], lingerMs: 0 });
    const topics = new TopicNames('p8.');
    await transport.ensureTopics(topics.all(), 2);
    const processor = new Processor({ transport, store: down, logger: log, topics, groupId: 'g', retryDelayMs: 20, maxRetryDelayMs: 50 });
    await processor.start();
    const { partitionsMoving } = await import('../src/observability/readiness.ts');
    try {
      void transport.publish(topics.of('capacity'), [{ key: 'k', value: bytesOf(validEvent('capacity')) }]).catch(() => {});
      await expect.poll(() => processor.stuck().length, { timeout: 20_000 }).toBe(1);
      const [stuck] = processor.stuck();
      expect(stuck).toMatchObject({ topic: 'p8.ioc.capacity.v1', kind: 'outage' });
      await expect.poll(() => stuck!.attempts).toBeGreaterThan(2);
      await expect(partitionsMoving((ms) => processor.stuck(ms), 0)()).rejects.toThrow(/partition p8\.ioc\.capacity\.v1\/\d stuck for \d+ s \(\d+ attempts, store unavailable\): .*ECONNREFUSED/);
      expect(lines.some((l) => /store unavailable: pausing, will retry the same batch/.test(l))).toBe(true);
      expect(processor.counters.insertRetries).toBeGreaterThan(2);
    } finally {
      await processor.stop();
      await transport.close();
      await down.close();
    }
  });
});
