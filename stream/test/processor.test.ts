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
