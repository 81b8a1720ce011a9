import { it } from 'vitest';
import { validBatch } from '../fixtures.ts';
import { waitForLagZero } from '../setup/processes.ts';
import { expectAlive, expectExactlyOnce, sleep, startWorker, stopCleanly } from './cluster.ts';
import { ownBroker } from './own-broker.ts';

/**
 * The Kafka broker dies (-9) while a worker consumes, and comes back on the same port and
 * data folder. This test starts its own broker, so the shared one of the suite is not
 * disturbed. The worker rides it out (kafkajs reconnects; a consumer it gives up on is
 * started again), uncommitted batches are redelivered and recognised, and every event is
 * stored exactly once.
 */
const broker = await ownBroker('own-broker');
const suite = broker.suite;

it('SIGKILL of the Kafka broker mid-stream, restarted on the same port and data', async () => {
  broker.start();
  const n = 20_000;
  const s = await suite.scenario('broker-kill');
  const store = await suite.store('broker-kill');
  const worker = await startWorker(suite.brokers, s, store.url);
  const events = validBatch(n);
  await suite.kafka.publish(s.capacity, events.slice(0, n / 2));
  await sleep(1_000); // the worker is consuming
  broker.kill();
  await sleep(3_000);
  broker.start();
  await suite.kafka.publish(s.capacity, events.slice(n / 2));
  await waitForLagZero(suite.kafka, s.group, [s.capacity], 200_000);
  const consumerRestarts = worker.output().match(/kafka consumer crashed: starting it again/g)?.length ?? 0;
  await expectExactlyOnce(store.client, { scenario: 'broker killed and restarted', sent: n, valid: n, extra: { brokerDownMs: 3_000, consumerRestarts } });
  await expectAlive(worker, store.service);
  await stopCleanly(worker);
}, 240_000);
