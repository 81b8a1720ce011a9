import { afterAll, expect, inject, it } from 'vitest';
import { TopicNames } from '@haidang/stream';
import { validBatch } from '../fixtures.ts';
import { kafkaClient, scenario, waitForLagZero } from '../setup/processes.ts';
import { expectAlive, expectExactlyOnce, opsUrl, sleep, startStore, startWorker, type StoreProcess } from './cluster.ts';

/**
 * The store fails for a while: `haidang store` is killed (-9) while two workers insert,
 * and comes back on the same port and folder seconds later. The workers pause, heartbeat
 * and resend the same chunks with the same deduplication tokens; nothing is committed in
 * between, nothing is lost, nothing is doubled, and no worker dies.
 */
const brokers = inject('kafkaBrokers');
const kafka = kafkaClient(brokers);
let store: StoreProcess | undefined;
afterAll(async () => {
  await store?.stop();
  await kafka.close();
});

async function storedCount(client: StoreProcess['client']): Promise<number> {
  const rs = await client.query({ query: 'SELECT count() AS n FROM capacity_raw', format: 'JSONEachRow' });
  return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
}

async function retriesOf(worker: Parameters<typeof opsUrl>[0]): Promise<number> {
  const text = await (await fetch(`${opsUrl(worker)}/metrics`)).text();
  return Number(text.match(/^haidang_insert_retries_total\{[^}]*\} (\d+)/m)?.[1] ?? 0);
}

it('SIGKILL of haidang store mid-stream, restarted on the same folder: workers pause and retry', async () => {
  const n = 20_000;
  const s = scenario('store-kill');
  const topics = new TopicNames(s.prefix);
  await kafka.ensureTopics(topics.all(), 4);
  store = await startStore('store-kill');
  const workers = [await startWorker(brokers, s, store.url), await startWorker(brokers, s, store.url)];
  await kafka.publish(topics.of('capacity'), validBatch(n / 2));
  // kill while the first chunks are being inserted
  while ((await storedCount(store.client)) === 0) await sleep(50);
  store.service.signal('SIGKILL');
  expect((await store.service.exited).signal).toBe('SIGKILL');
  // the store is down while the rest of the events arrive
  await kafka.publish(topics.of('capacity'), validBatch(n).slice(n / 2));
  await sleep(4_000);
  await store.restart();
  await waitForLagZero(kafka, s.group, [topics.of('capacity')]);
  const retries = (await Promise.all(workers.map(retriesOf))).reduce((a, b) => a + b, 0);
  expect(retries).toBeGreaterThan(0);
  expect(workers.some((w) => /store unavailable: pausing, will retry the same batch/.test(w.output()))).toBe(true);
  await expectExactlyOnce(store.client, { scenario: 'store killed and restarted', sent: n, valid: n, extra: { insertRetries: retries, storeDownMs: 4_000 } });
  if (process.env.FAULTS_VERBOSE) for (const w of workers) process.stdout.write([...new Set(w.output().match(/"err":"[^"]{0,120}/g) ?? [])].join('\n') + '\n');
  await expectAlive(...workers, store.service);
  for (const w of workers) w.signal('SIGTERM');
  for (const w of workers) expect((await w.exited).code).toBe(0);
});
