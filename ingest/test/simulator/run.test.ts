import path from 'node:path';
import { createLogger, MemoryTransport, TopicNames } from '@haidang/stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCityPack } from '@haidang/city';
import { generateEvents, startSimulator, type SimulatorHandle } from '../../src/index.ts';
import { consumeAll } from './consume-all.ts';

const tinyDir = path.resolve(import.meta.dirname, '../../../city/test/fixtures/tiny-pack');
const logger = createLogger('silent');

describe('startSimulator', () => {
  let handle: SimulatorHandle | undefined;
  let transport: MemoryTransport | undefined;
  afterEach(async () => {
    await handle?.stop();
    await transport?.close();
  });

  it('publishes exactly what generateEvents gives, per topic, keyed by entity', async () => {
    const pack = await loadCityPack(tinyDir);
    const topics = new TopicNames(`t${Date.now()}.`);
    transport = new MemoryTransport();
    await transport.ensureTopics(topics.all(), 3);
    // 2 simulated hours at 1000× take 7.2 s of wall time
    const window = { seed: 5, start: '2022-05-02T08:00:00Z', end: '2022-05-02T10:00:00Z', stepMinutes: 15 };
    const expected = generateEvents(pack, window);
    handle = startSimulator({ transport, topics, logger, rate: 10_000, speed: 1000, pack, ...window });
    await handle.done;
    expect(handle.published()).toBe(expected.length);

    const got = await consumeAll(transport, [topics.of('capacity'), topics.of('vaccination'), topics.of('prices'), topics.of('dossiers')], expected.length);
    expect(got).toHaveLength(expected.length);
    for (const m of got) {
      expect(m.topic).toBe(topics.of(m.value.stream));
      expect(m.key).toBe(m.value.entity);
    }
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(got.map((m) => m.value).sort(byId)).toEqual([...expected].sort(byId));
  });

  it('holds to the rate: a burst is spread over seconds', async () => {
    const pack = await loadCityPack(tinyDir);
    const topics = new TopicNames(`r${Date.now()}.`);
    transport = new MemoryTransport();
    await transport.ensureTopics(topics.all(), 1);
    const window = { seed: 5, start: '2022-05-02T08:00:00Z', end: '2022-05-02T08:15:00Z', stepMinutes: 15 };
    const expected = generateEvents(pack, window).length;
    // 15 simulated minutes pass in under a second at 1000×; 2 events a second then bounds it
    handle = startSimulator({ transport, topics, logger, rate: 2, speed: 1000, pack, ...window });
    await new Promise((r) => setTimeout(r, 1500));
    expect(handle.published()).toBeLessThanOrEqual(5);
    expect(handle.published()).toBeLessThan(expected);
    await handle.stop();
  });

  it('refuses a speed that is not positive', () => {
    transport = new MemoryTransport();
    expect(() => startSimulator({ transport: transport!, topics: new TopicNames(), logger, rate: 1, seed: 1, speed: 0 })).toThrow(/speed/);
  });

  it('loads the default pack when none is given', async () => {
    const topics = new TopicNames(`d${Date.now()}.`);
    transport = new MemoryTransport();
    await transport.ensureTopics(topics.all(), 1);
    handle = startSimulator({ transport, topics, logger, rate: 10_000, seed: 3, speed: 1000, start: '2022-08-01T08:00:00+07:00', end: '2022-08-01T08:30:00+07:00' });
    await handle.done;
    const got = await consumeAll(transport, [topics.of('capacity')], 1);
    expect(got[0]!.value.source).toBe('simulator:vung-tau');
  });
});
