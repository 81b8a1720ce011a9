import { afterAll, beforeAll, expect, it } from 'vitest';
import pino from 'pino';
import { Processor } from '../src/processor/processor.ts';
import { TopicNames } from '../src/processor/topic-names.ts';
import { migrate } from '../src/store/migration.ts';
import type { Store } from '../src/store/client.ts';
import { MemoryTransport } from '../src/transport/memory.ts';
import { bytesOf, validEvent } from './fixtures/events.ts';
import { queryRows, tempStore } from './fixtures/temp-store.ts';

let store: Store;
beforeAll(async () => {
  store = await tempStore();
  await migrate(store.client);
});
afterAll(async () => store.close());

/**
 * Values past what the columns hold, written straight to a topic as an outside producer would:
 * before the bounds, a 2999 `observedAt` passed the contract and ClickHouse refused the insert
 * (code 407 from the latest view's UInt32 seconds), stalling the partition; 2³² + 200 beds were
 * stored as 200. Now each is dead-lettered naming its field, and the events behind it on the same
 * partition are stored.
 */
it('an event beyond its columns is dead-lettered naming the field, and the partition goes on', async () => {
  const transport = new MemoryTransport({ durableGroups: ['g'], lingerMs: 0 });
  const topics = new TopicNames('bounds.');
  await transport.ensureTopics(topics.all(), 4);
  const processor = new Processor({ transport, store: store.client, logger: pino({ level: 'silent' }), topics, groupId: 'g' });
  await processor.start();
  try {
    const at = (h: number) => `2022-08-15T${String(h).padStart(2, '0')}:00:00+07:00`;
    const tooManyBeds = validEvent('capacity', { entity: 'b-1', observedAt: at(10) });
    tooManyBeds.payload.bedsTotal = 4294967496;
    const tooMuchOxygen = validEvent('capacity', { entity: 'b-1', observedAt: at(11) });
    tooMuchOxygen.payload.oxygenStockLitres = 1e300;
    const bad = [
      validEvent('capacity', { entity: 'b-1', observedAt: '2999-01-01T00:00:00Z' }),
      validEvent('capacity', { entity: 'b-1', observedAt: '1969-12-31T23:59:59Z' }),
      validEvent('capacity', { entity: 'b-1', observedAt: at(9), receivedAt: '2999-01-01T00:00:00Z' }),
      tooManyBeds,
      tooMuchOxygen,
    ];
    const good = [7, 8, 12, 13].map((h) => validEvent('capacity', { entity: 'b-1', observedAt: at(h) }));
    // one key, so one partition: the bad ones sit between good ones
    const order = [good[0], good[1], ...bad, good[2], good[3]];
    await transport.publish(topics.of('capacity'), order.map((e) => ({ key: 'b-1', value: bytesOf(e) })));
    const [n] = await queryRows<{ n: string }>(store, "SELECT count() n FROM capacity_raw WHERE entity = 'b-1'");
    expect(Number(n!.n)).toBe(4);
    const dead = await queryRows<{ reason: string; field: string; event_id: string }>(store, "SELECT reason, field, event_id FROM deadletter WHERE topic = 'bounds.ioc.capacity.v1' ORDER BY log_offset");
    expect(dead.map((d) => `${d.reason} ${d.field}`)).toEqual([
      'HD_EVENT_INVALID observedAt',
      'HD_EVENT_INVALID observedAt',
      'HD_EVENT_INVALID receivedAt',
      'HD_EVENT_INVALID payload.bedsTotal',
      'HD_EVENT_INVALID payload.oxygenStockLitres',
    ]);
    expect(dead.map((d) => d.event_id)).toEqual(bad.map((e) => e.id));
    const [latest] = await queryRows<{ t: string }>(store, "SELECT toString(observed_at) t FROM capacity_latest FINAL WHERE entity = 'b-1'");
    expect(latest!.t).toBe('2022-08-15 06:00:00.000');
  } finally {
    await processor.stop();
    await transport.close();
  }
});
