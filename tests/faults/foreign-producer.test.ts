import { expect, inject, it } from 'vitest';
import { capacityJson } from '../fixtures.ts';
import { kcatProduce } from '../setup/kcat.ts';
import { waitForLagZero } from '../setup/processes.ts';
import { expectAlive, expectExactlyOnce, faultSuite, startWorker, stopCleanly } from './cluster.ts';

/**
 * A worker whose store is elsewhere runs with glibc tuned and its old generation limited
 * (`startWorker` waits for its log line). Here its input comes from kcat (librdkafka), not from
 * our own producer: batches of every codec, before and after the worker is killed (-9) with
 * events in hand. A second worker, tuned the same way, finishes: every event stored once.
 */
const suite = faultSuite(inject('kafkaBrokers'));

const lines = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`facility-${i % 17}|${capacityJson(`facility-${i % 17}`, i)}`));

it('a tuned worker stores what kcat writes with every codec exactly once, across a SIGKILL', async () => {
  const perCodec = 3_000;
  const codecs = ['gzip', 'snappy', 'lz4', 'zstd'];
  const s = await suite.scenario('kcat-tuned');
  const store = await suite.store('kcat-tuned');
  const first = await startWorker(suite.brokers, s, store.url);
  for (const codec of codecs.slice(0, 2)) await kcatProduce(suite.brokers, s.capacity, codec, lines(perCodec));
  first.signal('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');
  const second = await startWorker(suite.brokers, s, store.url);
  for (const codec of codecs.slice(2)) await kcatProduce(suite.brokers, s.capacity, codec, lines(perCodec));
  await waitForLagZero(suite.kafka, s.group, [s.capacity]);
  await expectExactlyOnce(store.client, { scenario: 'kcat, every codec, tuned workers, SIGKILL', sent: codecs.length * perCodec, valid: codecs.length * perCodec });
  await expectAlive(second, store.service);
  await stopCleanly(second);
});
