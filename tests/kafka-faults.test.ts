import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TopicNames, type KafkaTransport } from '@haidang/stream';
import { validBatch } from './fixtures.ts';
import { kafkaClient, scenario, sql, startHaidang, waitForLagZero } from './setup/processes.ts';

/**
 * The stream worker is killed or paused at bad moments; afterwards every event is stored
 * exactly once: count() = uniqExact(id) = N. Figures are printed for the note.
 */
const brokers = inject('kafkaBrokers');
let kafka: KafkaTransport;
beforeAll(() => {
  kafka = kafkaClient(brokers);
});
afterAll(async () => kafka.close());

const env = (s: ReturnType<typeof scenario>, extra: Record<string, string> = {}) => ({
  KAFKA_BROKERS: brokers, HAIDANG_TOPIC_PREFIX: s.prefix, HAIDANG_GROUP: s.group, HAIDANG_DATA_DIR: s.dataDir,
  HAIDANG_BATCH_ROWS: '500', HAIDANG_SESSION_TIMEOUT_MS: '6000', ...extra,
});

async function prepare(name: string, n: number) {
  const s = scenario(name);
  const topics = new TopicNames(s.prefix);
  await kafka.ensureTopics(topics.all(), 4);
  await kafka.publish(topics.of('capacity'), validBatch(n));
  return { s, topic: topics.of('capacity') };
}

async function finish(s: ReturnType<typeof scenario>, topic: string, n: number, label: string) {
  const svc = startHaidang(['stream'], env(s));
  await svc.waitFor(/partitions assigned/);
  await waitForLagZero(kafka, s.group, [topic]);
  svc.signal('SIGTERM');
  expect((await svc.exited).code).toBe(0);
  const [r] = await sql(s.dataDir, 'SELECT count() n, uniqExact(id) u FROM capacity_raw');
  const figures = { scenario: label, sent: n, stored: Number(r!.n), unique: Number(r!.u), duplicates: Number(r!.n) - Number(r!.u) };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  expect([figures.stored, figures.unique]).toEqual([n, n]);
  return svc.output();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** a worker that has joined the group and has been storing for `ms` */
async function workerRunningFor(s: ReturnType<typeof scenario>, ms: number) {
  const svc = startHaidang(['stream'], env(s));
  await svc.waitFor(/partitions assigned/);
  await sleep(ms);
  return svc;
}

describe('nothing lost, nothing doubled', () => {
  it('SIGKILL of the stream worker in the middle of a run', async () => {
    const n = 20_000;
    const { s, topic } = await prepare('kill', n);
    const svc = await workerRunningFor(s, 1_500);
    svc.signal('SIGKILL');
    expect((await svc.exited).signal).toBe('SIGKILL');
    await finish(s, topic, n, 'sigkill mid-run');
  });

  it('SIGKILL between the insert and the offset commit', async () => {
    const n = 5_000;
    const { s, topic } = await prepare('kill-before-commit', n);
    const svc = startHaidang(['stream'], env(s, { HAIDANG_FAULT_KILL_AFTER_BATCHES: '3' }));
    expect((await svc.exited).signal).toBe('SIGKILL');
    const restartLog = await finish(s, topic, n, 'sigkill after insert, before commit');
    // the restarted worker found the uncommitted batches in the store and skipped them
    expect(restartLog).toMatch(/redelivered or resent events already stored: skipped/);
  });

  it('SIGSTOP past the session timeout, then SIGCONT', async () => {
    const n = 20_000;
    const { s, topic } = await prepare('pause', n);
    const svc = await workerRunningFor(s, 1_000);
    svc.signal('SIGSTOP');
    await sleep(9_000); // > 6 s session timeout: the broker evicts it
    svc.signal('SIGCONT');
    await waitForLagZero(kafka, s.group, [topic]);
    expect(svc.alive()).toBe(true);
    svc.signal('SIGTERM');
    expect((await svc.exited).code).toBe(0);
    await finish(s, topic, n, 'sigstop past session timeout');
  });
});
