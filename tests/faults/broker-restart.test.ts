import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { TopicNames, type KafkaTransport } from '@haidang/stream';
import { validBatch } from '../fixtures.ts';
import { kafkaClient, repoRoot, scenario, tempDir, waitForLagZero } from '../setup/processes.ts';
import { expectAlive, expectExactlyOnce, freePort, sleep, startStore, startWorker, type StoreProcess } from './cluster.ts';

/**
 * The Kafka broker dies (-9) while a worker consumes, and comes back on the same port and
 * data folder. This test starts its own broker, so the shared one of the suite is not
 * disturbed. The worker rides it out (kafkajs reconnects and rejoins), uncommitted batches
 * are redelivered and recognised, and every event is stored exactly once.
 */
const kafkaSh = join(repoRoot, 'infra/kafka/kafka.sh');
const dir = tempDir('own-broker');
let store: StoreProcess | undefined;
let kafka: KafkaTransport | undefined;

const broker = (...args: string[]) => execFileSync('bash', [kafkaSh, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
const brokerPid = () => Number(readFileSync(join(dir, 'broker.pid'), 'utf8'));

afterAll(async () => {
  await store?.stop();
  await kafka?.close();
  broker('stop', dir);
  rmSync(dir, { recursive: true, force: true });
});

it('SIGKILL of the Kafka broker mid-stream, restarted on the same port and data', async () => {
  let port = await freePort();
  while (port > 65000) port = await freePort(); // the controller takes port + 1
  broker('start', String(port), dir);
  const brokers = `127.0.0.1:${port}`;
  kafka = kafkaClient(brokers);
  const n = 20_000;
  const s = scenario('broker-kill');
  const topics = new TopicNames(s.prefix);
  await kafka.ensureTopics(topics.all(), 4);
  store = await startStore('broker-kill');
  const worker = await startWorker(brokers, s, store.url);
  await kafka.publish(topics.of('capacity'), validBatch(n).slice(0, n / 2));
  await sleep(1_000); // the worker is consuming
  process.kill(brokerPid(), 'SIGKILL');
  await sleep(3_000);
  broker('start', String(port), dir);
  await kafka.publish(topics.of('capacity'), validBatch(n).slice(n / 2));
  await waitForLagZero(kafka, s.group, [topics.of('capacity')], 180_000);
  const consumerRestarts = worker.output().match(/consumer stopped unexpectedly: starting it again/g)?.length ?? 0;
  await expectExactlyOnce(store.client, { scenario: 'broker killed and restarted', sent: n, valid: n, extra: { brokerDownMs: 3_000, consumerRestarts } });
  await expectAlive(worker, store.service);
  worker.signal('SIGTERM');
  expect((await worker.exited).code).toBe(0);
});
