import { readFileSync } from 'node:fs';
import { expect, inject, it } from 'vitest';
import { validBatch } from '../fixtures.ts';
import { waitForLagZero } from '../setup/processes.ts';
import { expectAlive, expectExactlyOnce, faultSuite, startWorker, stopCleanly } from './cluster.ts';
import { startTcpProxy } from './tcp-proxy.ts';

/**
 * A slow consumer: every answer of the store reaches the worker 250 ms late (through a TCP
 * proxy), while events keep arriving. The backlog must wait in Kafka, not in the worker:
 * its memory stays bounded (RSS sampled from /proc), it does not crash, and everything is
 * stored exactly once once the store is fast again.
 */
const suite = faultSuite(inject('kafkaBrokers'));

const rssMiB = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)![1]) / 1024;

it('store answers delayed: memory stays bounded, nothing crashes, nothing lost', async () => {
  const n = 20_000;
  const delayMs = 250;
  const s = await suite.scenario('slow-store');
  const store = await suite.store('slow-store');
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: store.port });
  suite.atEnd(() => proxy.close());
  const worker = await startWorker(suite.brokers, s, `http://127.0.0.1:${proxy.port}`, { HAIDANG_BATCH_ROWS: '200' });
  const pid = worker.child.pid!;
  const samples: number[] = [rssMiB(pid)];
  const sampler = setInterval(() => worker.alive() && samples.push(rssMiB(pid)), 250);
  proxy.delayMs = delayMs;
  const t0 = Date.now();
  // events keep arriving in waves while the store is slow
  const events = validBatch(n);
  for (let i = 0; i < 4; i++) {
    await suite.kafka.publish(s.capacity, events.slice((i * n) / 4, ((i + 1) * n) / 4));
    await new Promise((r) => setTimeout(r, 2_000));
  }
  await waitForLagZero(suite.kafka, s.group, [s.capacity], 200_000);
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
  await stopCleanly(worker);
}, 240_000);
