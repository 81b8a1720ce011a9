import { readFileSync } from 'node:fs';
import { afterAll, expect, inject, it } from 'vitest';
import { TopicNames } from '@haidang/stream';
import { validBatch } from '../fixtures.ts';
import { kafkaClient, scenario, waitForLagZero } from '../setup/processes.ts';
import { expectAlive, expectExactlyOnce, startStore, startWorker, type StoreProcess } from './cluster.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/**
 * A slow consumer: every answer of the store reaches the worker 250 ms late (through a TCP
 * proxy), while events keep arriving. The backlog must wait in Kafka, not in the worker:
 * its memory stays bounded (RSS sampled from /proc), it does not crash, and everything is
 * stored exactly once once the store is fast again.
 */
const brokers = inject('kafkaBrokers');
const kafka = kafkaClient(brokers);
let store: StoreProcess | undefined;
let proxy: TcpProxy | undefined;
afterAll(async () => {
  await proxy?.close();
  await store?.stop();
  await kafka.close();
});

const rssMiB = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)![1]) / 1024;

it('store answers delayed: memory stays bounded, nothing crashes, nothing lost', async () => {
  const n = 20_000;
  const delayMs = 250;
  const s = scenario('slow-store');
  const topics = new TopicNames(s.prefix);
  await kafka.ensureTopics(topics.all(), 4);
  store = await startStore('slow-store');
  proxy = await startTcpProxy({ host: '127.0.0.1', port: store.port });
  const worker = await startWorker(brokers, s, `http://127.0.0.1:${proxy.port}`, { HAIDANG_BATCH_ROWS: '200' });
  const pid = worker.child.pid!;
  const samples: number[] = [rssMiB(pid)];
  const sampler = setInterval(() => worker.alive() && samples.push(rssMiB(pid)), 250);
  proxy.delayMs = delayMs;
  const t0 = Date.now();
  // events keep arriving in waves while the store is slow
  const events = validBatch(n);
  for (let i = 0; i < 4; i++) {
    await kafka.publish(topics.of('capacity'), events.slice((i * n) / 4, ((i + 1) * n) / 4));
    await new Promise((r) => setTimeout(r, 2_000));
  }
  await waitForLagZero(kafka, s.group, [topics.of('capacity')], 240_000);
  clearInterval(sampler);
  const atStart = samples[0]!;
  const peak = Math.max(...samples);
  await expectExactlyOnce(store.client, {
    scenario: 'slow store (answers delayed 250 ms)', sent: n, valid: n,
    extra: { delayMs, drainMs: Date.now() - t0, rssStartMiB: Math.round(atStart), rssPeakMiB: Math.round(peak), rssSamples: samples.length },
  });
  // bounded: the backlog stayed in Kafka; a worker buffering 20,000 events would not stay under this
  expect(peak).toBeLessThan(atStart + 300);
  await expectAlive(worker, store.service);
  worker.signal('SIGTERM');
  expect((await worker.exited).code).toBe(0);
});
