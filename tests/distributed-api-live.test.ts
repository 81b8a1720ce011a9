import { io as connect, type Socket } from 'socket.io-client';
import { expect, inject, it } from 'vitest';
import { capacityJson } from './fixtures.ts';
import { faultSuite, freePort, startWorker, stopCleanly, workerEnv } from './faults/cluster.ts';
import { startHaidang } from './setup/processes.ts';

/**
 * Distributed mode: two `haidang api` instances run no processor; each follows the topics
 * with a consumer group of its own, so a client of either instance sees an event live while
 * the stream worker stores it once.
 */
const suite = faultSuite(inject('kafkaBrokers'));

it('every api instance pushes live deltas of events the stream workers store', async () => {
  const s = await suite.scenario('api-live');
  const store = await suite.store('api-live');
  const worker = await startWorker(suite.brokers, s, store.url);
  const password = `admin-${process.pid}-pw-long-enough`;
  const apis = await Promise.all(
    [0, 1].map(async () => {
      const port = await freePort();
      const svc = startHaidang(['api'], { ...workerEnv(suite.brokers, s, store.url), HAIDANG_PORT: String(port), HAIDANG_ADMIN_PASSWORD: password });
      await svc.waitFor(/live tail: following/);
      await svc.waitFor(/api at http/);
      return { svc, url: `http://127.0.0.1:${port}` };
    }),
  );
  const sockets: Socket[] = [];
  try {
    const heard = await Promise.all(
      apis.map(async ({ url }) => {
        const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
        expect(login.status).toBe(200);
        const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
        const socket = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie, origin: url } });
        sockets.push(socket);
        const entities = new Set<string>();
        socket.on('delta', (frame: { capacity?: Array<{ entity?: string; facility?: string }> }) => {
          for (const x of frame.capacity ?? []) entities.add(String(x.entity ?? x.facility));
        });
        await new Promise<void>((resolve, reject) => (socket.on('connect', () => resolve()), socket.on('connect_error', reject)));
        expect(await socket.emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });
        return entities;
      }),
    );
    await suite.kafka.publish(s.capacity, [{ key: 'live-facility', value: capacityJson('live-facility', 1) }]);
    await expect.poll(() => heard.map((h) => h.has('live-facility')), { timeout: 60_000, interval: 250 }).toEqual([true, true]);
    await expect.poll(async () => {
      const rs = await store.client.query({ query: "SELECT count() AS n FROM capacity_raw WHERE entity = 'live-facility'", format: 'JSONEachRow' });
      return Number((await rs.json<{ n: string }>())[0]!.n);
    }, { timeout: 60_000, interval: 500 }).toBe(1);
  } finally {
    for (const so of sockets) so.disconnect();
    await stopCleanly(...apis.map((a) => a.svc), worker);
  }
});
