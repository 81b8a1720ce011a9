import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryTransport, Processor, TopicNames, type AnyEvent } from '@haidang/stream';
import { AlertEngine } from '../src/alerts/engine.ts';
import { watchSources } from '../src/alerts/source-watch.ts';
import { capacity } from './fixtures/events.ts';
import { startTestApi, testLogger, type TestApi } from './fixtures/test-api.ts';

/** A source that stops reporting raises one "source silent" episode, resolved when it reports again. */
const topics = new TopicNames('');
const transport = new MemoryTransport({ durableGroups: ['sw'], lingerMs: 0 });
let t: TestApi;
let processor: Processor;
let clock = Date.now();

beforeAll(async () => {
  await transport.ensureTopics(topics.all(), 2);
  t = await startTestApi({ transport, topics });
  processor = new Processor({ transport, store: t.store.client, logger: testLogger, topics, groupId: 'sw' });
  await processor.start();
});
afterAll(async () => {
  await processor?.stop();
  await transport.close();
  await t?.close();
});

const report = (source: string) => {
  const e: AnyEvent = { ...capacity('f-watch', new Date().toISOString(), { tier: 2, oxygenTotal: 10, oxygenOccupied: 4 }), source };
  return transport.publish(topics.of('capacity'), [{ key: e.entity, value: JSON.stringify(e) }]);
};

it('raises one episode for a silent source and resolves it when the source reports again', async () => {
  const alerts = new AlertEngine({ store: t.store.client, logger: testLogger });
  await alerts.load();
  const heard: string[][] = [];
  const watch = watchSources({ store: t.store.client, topics, alerts, logger: testLogger, intervalMs: 3_600_000, options: { now: () => new Date(clock) }, onHealth: (sources) => heard.push(sources.map((x) => `${x.source}:${x.status}`)) });
  try {
    await report('poller:quiet-hospital');
    clock = Date.now();
    await watch.check();
    expect((await alerts.list({ state: 'firing', limit: 50 })).filter((e) => e.ruleId === 'source-silent')).toEqual([]);
    // three hours later (beds report hourly): silent
    clock = Date.now() + 3 * 3600_000;
    await watch.check();
    await watch.check(); // a second look does not fire twice
    const firing = (await alerts.list({ state: 'firing', limit: 50 })).filter((e) => e.ruleId === 'source-silent');
    expect(firing.map((e) => e.entity)).toEqual(['poller:quiet-hospital']);
    // what the live `sources` channel is given after each look
    expect(heard.at(-1)).toContain('poller:quiet-hospital:silent');
    // it reports again: resolved
    clock = Date.now();
    await report('poller:quiet-hospital');
    await watch.check();
    expect((await alerts.list({ state: 'firing', limit: 50 })).filter((e) => e.ruleId === 'source-silent')).toEqual([]);
    expect((await alerts.get(firing[0]!.episodeId))?.state).toBe('resolved');
  } finally {
    watch.stop();
    await alerts.close();
  }
});
