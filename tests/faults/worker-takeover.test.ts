import { expect, inject, it } from 'vitest';
import { validBatch } from '../fixtures.ts';
import { waitForLagZero } from '../setup/processes.ts';
import { expectAlive, expectExactlyOnce, faultSuite, startWorker, stopCleanly } from './cluster.ts';

/**
 * Two workers share the partitions; one is killed (-9) with stored but uncommitted
 * batches in hand. The other takes its partitions once the session times out, skips what
 * the store already holds and finishes: every event stored exactly once.
 */
const suite = faultSuite(inject('kafkaBrokers'));

it('SIGKILL of one of two workers mid-batch: the other takes over its partitions', async () => {
  const n = 20_000;
  const s = await suite.scenario('takeover');
  const store = await suite.store('takeover');
  // the victim kills itself after its 4th stored chunk, before committing it: the worst moment
  const victim = await startWorker(suite.brokers, s, store.url, { HAIDANG_FAULT_KILL_AFTER_BATCHES: '4' });
  const survivor = await startWorker(suite.brokers, s, store.url);
  await suite.kafka.publish(s.capacity, validBatch(n));
  expect((await victim.exited).signal).toBe('SIGKILL');
  const assignedBefore = survivor.output().match(/partitions assigned/g)!.length;
  await waitForLagZero(suite.kafka, s.group, [s.capacity]);
  // the survivor was assigned again after the victim's death, and found the victim's stored prefix
  expect(survivor.output().match(/partitions assigned/g)!.length).toBeGreaterThan(assignedBefore);
  expect(survivor.output()).toMatch(/redelivered or resent events already stored: skipped/);
  await expectExactlyOnce(store.client, { scenario: 'worker killed mid-batch, survivor takes over', sent: n, valid: n });
  await expectAlive(survivor, store.service);
  await stopCleanly(survivor);
});
