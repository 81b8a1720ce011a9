import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { capacityJson } from './fixtures.ts';
import { faultSuite, opsUrl } from './faults/cluster.ts';
import { startHaidang, tempDir } from './setup/processes.ts';

/**
 * `haidang ingest`: the producers as a process of their own over a real broker. It refuses to
 * run where nobody could read what it publishes, replays a recorded file, and runs the
 * simulator with its ops endpoints until a signal stops it cleanly.
 */
const suite = faultSuite(inject('kafkaBrokers'));

/** messages on these topics, from the broker's end offsets */
async function onTopics(topics: string[]): Promise<number> {
  return (await suite.kafka.lag('nobody', topics)).reduce((a, l) => a + Number(l.end), 0);
}

it('refuses to start without Kafka, or with nothing to publish', async () => {
  const noBroker = startHaidang(['ingest'], { KAFKA_BROKERS: '' });
  expect((await noBroker.exited).code).toBe(2);
  expect(noBroker.output()).toMatch(/set KAFKA_BROKERS/);
  const idle = startHaidang(['ingest', '--rate', '0'], { KAFKA_BROKERS: suite.brokers });
  expect((await idle.exited).code).toBe(2);
  expect(idle.output()).toMatch(/nothing to publish/);
});

it('--replay publishes a recorded file and exits, 1 when lines were refused', async () => {
  const s = await suite.scenario('ingest-replay');
  const file = join(tempDir('ingest-replay'), 'day.ndjson');
  const good = Array.from({ length: 25 }, (_, i) => capacityJson(`replay-facility-${i % 5}`, i));
  writeFileSync(file, `${[...good.slice(0, 10), '{"stream":"capacity","broken":true}', ...good.slice(10)].join('\n')}\n`);
  const run = startHaidang(['ingest', '--rate', '0', '--replay', file], { KAFKA_BROKERS: suite.brokers, HAIDANG_TOPIC_PREFIX: s.prefix, HAIDANG_OPS_PORT: '0' });
  expect((await run.exited).code, run.output().slice(-2000)).toBe(1);
  expect(run.output()).toMatch(/replayed 25 events from .*; lines refused: 1/);
  expect(await onTopics([s.capacity])).toBe(25);
});

it('runs the simulator, reports what it published per stream, and stops cleanly on SIGTERM', async () => {
  const s = await suite.scenario('ingest-sim');
  const run = startHaidang(['ingest', '--rate', '400', '--history', '2'], { KAFKA_BROKERS: suite.brokers, HAIDANG_TOPIC_PREFIX: s.prefix, HAIDANG_OPS_PORT: '0' });
  try {
    await run.waitFor(/ingest is running/);
    expect(run.output()).toMatch(/distributed mode: ingest publishing to Kafka .*simulator at 400 events\/s.*; no store/);
    const ops = opsUrl(run);
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    const published = async () => {
      const text = await (await fetch(`${ops}/metrics`)).text();
      return Object.fromEntries([...text.matchAll(/^haidang_events_published_total\{stream="(\w+)"[^}]*\} (\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
    };
    await expect.poll(async () => (await published()).capacity ?? 0, { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    const seen = Object.values(await published()).reduce((a, b) => a + b, 0);
    run.signal('SIGTERM');
    expect((await run.exited).code, run.output().slice(-2000)).toBe(0);
    expect(run.output()).toMatch(/stopped cleanly/);
    // what it counted was acknowledged by the broker (acks=-1): all of it is there
    expect(await onTopics(s.topics.all())).toBeGreaterThanOrEqual(seen);
  } finally {
    if (run.alive()) run.signal('SIGKILL');
  }
});
