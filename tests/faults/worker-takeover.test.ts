import { afterAll, expect, inject, it } from 'vitest';
import { TopicNames } from '@haidang/stream';
import { validBatch } from '../fixtures.ts';
import { kafkaClient, scenario, waitForLagZero } from '../setup/processes.ts';
import { expectAlive, expectExactlyOnce, startStore, startWorker, type StoreProcess } from './cluster.ts';

/**
 * Two workers share the partitions; one is killed (-9) with stored but uncommitted
 * batches in hand. The other takes its partitions once the session times out, skips what
 * the store already holds and finishes: every event stored exactly once.
 */
const brokers = inject('kafkaBrokers');
const kafka = kafkaClient(brokers);
let store: StoreProcess | undefined;
afterAll(async () => {
  await store?.stop();
  await kafka.close();
});

it('SIGKILL of one of two workers mid-batch: the other takes over its partitions', async () => {
  const n = 20_000;
  const s = scenario('takeover');
  const topics = new TopicNames(s.prefix);
  await kafka.ensureTopics(topics.all(), 4);
  store = await startStore('takeover');
  // the victim kills itself after its 4th stored chunk, before committing it: the worst moment
  const victim = await startWorker(brokers, s, store.url, { HAIDANG_FAULT_KILL_AFTER_BATCHES: '4' });
  const survivor = await startWorker(brokers, s, store.url);
  await kafka.publish(topics.of('capacity'), validBatch(n));
  const killed = await victim.exited;
  expect(killed.signal).toBe('SIGKILL');
  const assignedBefore = survivor.output().match(/partitions assigned/g)!.length;
  await waitForLagZero(kafka, s.group, [topics.of('capacity')]);
  // the survivor was assigned again after the victim's death, and found the victim's stored prefix
  expect(survivor.output().match(/partitions assigned/g)!.length).toBeGreaterThan(assignedBefore);
  expect(survivor.output()).toMatch(/redelivered events already stored: skipped/);
  await expectExactlyOnce(store.client, { scenario: 'worker killed mid-batch, survivor takes over', sent: n, valid: n });
  await expectAlive(survivor, store.service);
  survivor.signal('SIGTERM');
  expect((await survivor.exited).code).toBe(0);
});
