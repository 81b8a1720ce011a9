import { expect, inject, it } from 'vitest';
import { validBatch } from '../fixtures.ts';
import { waitForLagZero, type Service } from '../setup/processes.ts';
import { expectAlive, expectExactlyOnce, faultSuite, opsUrl, sleep, startWorker, stopCleanly, type StoreProcess } from './cluster.ts';

/**
 * The store fails for a while: `haidang store` is killed (-9) while two workers insert,
 * and comes back on the same port and folder seconds later. The workers pause, heartbeat
 * and resend the same chunks with the same deduplication tokens; nothing is committed in
 * between, nothing is lost, nothing is doubled, and no worker dies.
 */
const suite = faultSuite(inject('kafkaBrokers'));

async function storedCount(client: StoreProcess['client']): Promise<number> {
  const rs = await client.query({ query: 'SELECT count() AS n FROM capacity_raw', format: 'JSONEachRow' });
  return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
}

async function retriesOf(worker: Service): Promise<number> {
  const text = await (await fetch(`${opsUrl(worker)}/metrics`)).text();
  return Number(text.match(/^haidang_insert_retries_total\{[^}]*\} (\d+)/m)?.[1] ?? 0);
}

it('SIGKILL of haidang store mid-stream, restarted on the same folder: workers pause and retry', async () => {
  const n = 20_000;
  const s = await suite.scenario('store-kill');
  const store = await suite.store('store-kill');
  const workers = [await startWorker(suite.brokers, s, store.url), await startWorker(suite.brokers, s, store.url)];
  const events = validBatch(n);
  await suite.kafka.publish(s.capacity, events.slice(0, n / 2));
  // kill while the first chunks are being inserted
  while ((await storedCount(store.client)) === 0) await sleep(50);
  store.service.signal('SIGKILL');
  expect((await store.service.exited).signal).toBe('SIGKILL');
  // the store is down while the rest of the events arrive
  await suite.kafka.publish(s.capacity, events.slice(n / 2));
  await sleep(4_000);
  await store.restart();
  await waitForLagZero(suite.kafka, s.group, [s.capacity]);
  const retries = (await Promise.all(workers.map(retriesOf))).reduce((a, b) => a + b, 0);
  expect(retries).toBeGreaterThan(0);
  expect(workers.some((w) => /store unavailable: pausing, will retry the same batch/.test(w.output()))).toBe(true);
  await expectExactlyOnce(store.client, { scenario: 'store killed and restarted', sent: n, valid: n, extra: { insertRetries: retries, storeDownMs: 4_000 } });
  await expectAlive(...workers, store.service);
  await stopCleanly(...workers);
});
