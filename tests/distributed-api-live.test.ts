import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { capacityJson } from './fixtures.ts';
import { freePort } from './setup/ports.ts';
import { faultSuite, sleep, startWorker, stopCleanly, workerEnv, type Scenario, type StoreProcess } from './faults/cluster.ts';
import { kcatProduce } from './setup/kcat.ts';
import { startHaidang, type Service } from './setup/processes.ts';
import type { TopicNames } from '@haidang/stream';

/**
 * Distributed mode: two `haidang api` instances run no processor; each follows the topics
 * with a consumer group of its own, so a client of either instance sees an event live while
 * the stream worker stores it once. The first instance runs with --alerts: it alone judges
 * the alert rules, so an event crossing a rule raises one episode, not one per instance; the
 * other follows the episodes the judge saves and pushes them to its own clients.
 */
const suite = faultSuite(inject('kafkaBrokers'));
const password = `admin-${process.pid}-pw-long-enough`;

let s: Scenario & { topics: TopicNames; capacity: string };
let store: StoreProcess;
let worker: Service;
let apis: Array<{ svc: Service; url: string }> = [];

beforeAll(async () => {
  s = await suite.scenario('api-live');
  store = await suite.store('api-live');
  worker = await startWorker(suite.brokers, s, store.url);
  apis = await Promise.all(
    [['api', '--alerts'], ['api']].map(async (args) => {
      const port = await freePort();
      const svc = startHaidang(args, { ...workerEnv(suite.brokers, s, store.url), HAIDANG_PORT: String(port), HAIDANG_ADMIN_PASSWORD: password });
      await svc.waitFor(/live tail: following/);
      await svc.waitFor(/api at http/);
      return { svc, url: `http://127.0.0.1:${port}` };
    }),
  );
});

afterAll(async () => {
  await stopCleanly(...apis.map((a) => a.svc), worker);
});

async function signIn(url: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  expect(login.status).toBe(200);
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

it('every api instance pushes live deltas of events the stream workers store', async () => {
  const sockets: Socket[] = [];
  try {
    const heard = await Promise.all(
      apis.map(async ({ url }) => {
        const cookie = await signIn(url);
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
  }
});

it('every api instance hears events kcat writes with snappy, lz4 and zstd, and stays up and current (a zstd batch used to kill its live tail)', async () => {
  const sockets: Socket[] = [];
  try {
    const heard = await Promise.all(
      apis.map(async ({ url }) => {
        const socket = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: await signIn(url), origin: url } });
        sockets.push(socket);
        const entities = new Set<string>();
        socket.on('delta', (frame: { capacity?: Array<{ entity?: string }> }) => {
          for (const x of frame.capacity ?? []) entities.add(String(x.entity));
        });
        await new Promise<void>((resolve, reject) => (socket.on('connect', () => resolve()), socket.on('connect_error', reject)));
        expect(await socket.emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });
        return entities;
      }),
    );
    const codecs = ['snappy', 'lz4', 'zstd'];
    for (const codec of codecs) await kcatProduce(suite.brokers, s.capacity, codec, [Buffer.from(`kcat-${codec}|${capacityJson(`kcat-${codec}`, 2)}`)]);
    await expect.poll(() => heard.map((h) => codecs.every((c) => h.has(`kcat-${c}`))), { timeout: 60_000, interval: 250 }).toEqual([true, true]);
    for (const { svc, url } of apis) {
      expect(svc.alive()).toBe(true);
      const ready = (await (await fetch(`${url}/readyz`)).json()) as { ready: boolean; degraded?: string[] };
      expect(ready).toMatchObject({ ready: true });
      expect(ready.degraded).toBeUndefined();
    }
  } finally {
    for (const so of sockets) so.disconnect();
  }
});

it('one instance judges the alerts: a breach raises one episode, pushed live by the instance that only serves too; an acknowledgement on the other instance survives its resolution', async () => {
  const [judge, server] = apis as [(typeof apis)[0], (typeof apis)[0]];
  // an operator on the instance that does not judge: it follows the judge's episodes and pushes them
  const operatorCookie = await signIn(server.url);
  const operator = connect(server.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: operatorCookie, origin: server.url } });
  const pushed: Array<{ episodeId: string; state: string; acknowledgedBy: string | null }> = [];
  operator.on('delta', (frame: { alerts?: typeof pushed }) => pushed.push(...(frame.alerts ?? [])));
  await new Promise<void>((resolve, reject) => (operator.on('connect', () => resolve()), operator.on('connect_error', reject)));
  expect(await operator.emitWithAck('subscribe', 'alerts')).toMatchObject({ ok: true });
  // the judge's group (named after the workers') starts at the end of the topics once it has
  // joined: warm-up reports (never a breach) until it has committed one
  await expect.poll(async () => {
    await suite.kafka.publish(s.capacity, [{ key: 'warm-up', value: capacityJson('warm-up', 0) }]);
    await sleep(500);
    return (await suite.kafka.lag(`${s.group}-alerts`, [s.capacity])).some((l) => l.committed !== '0');
  }, { timeout: 60_000, interval: 500 }).toBe(true);

  // capacityJson(f, i): i seconds after the base time, tier 2, oxygen beds i % 80 of 80 occupied.
  // 76/80 = 95% at i = 76 and again 1,840 s later (the rule wants ≥ 85% for 30 min): it fires
  const facility = 'alert-facility';
  await suite.kafka.publish(s.capacity, [76, 76 + 23 * 80].map((i) => ({ key: facility, value: capacityJson(facility, i) })));
  const episodes = async () => {
    const rs = await store.client.query({ query: `SELECT toString(episode_id) AS id, state, acknowledged_by AS by FROM api_alerts FINAL WHERE rule_id = 'tier2-oxygen-85' AND entity = '${facility}'`, format: 'JSONEachRow' });
    return rs.json<{ id: string; state: string; by: string | null }>();
  };
  await expect.poll(async () => (await episodes()).map((e) => e.state), { timeout: 60_000, interval: 500 }).toEqual(['firing']);
  // a second judge would have fired by now too: the episode was saved after both reports were stored
  await sleep(3_000);
  const [episode] = await episodes();
  expect(await episodes()).toHaveLength(1);
  expect(judge.svc.output()).toMatch(/alert firing/);
  expect(server.svc.output()).not.toMatch(/alert firing/);
  await expect.poll(() => pushed.filter((p) => p.episodeId === episode!.id).map((p) => p.state), { timeout: 30_000, interval: 250 }).toContain('firing');

  // the instance that only serves lists it and takes the acknowledgement
  const cookie = await signIn(server.url);
  const list = (await (await fetch(`${server.url}/api/v1/alerts?state=firing`, { headers: { cookie } })).json()) as { alerts: Array<{ episodeId: string }> };
  expect(list.alerts.map((a) => a.episodeId)).toContain(episode!.id);
  const ack = await fetch(`${server.url}/api/v1/alerts/${episode!.id}/acknowledge`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ comment: 'oxygen delivery on its way' }) });
  expect(ack.status).toBe(200);

  // back to 0% occupied: the judge resolves the episode and keeps the acknowledgement it did not see
  await suite.kafka.publish(s.capacity, [{ key: facility, value: capacityJson(facility, 80 * 24) }]);
  await expect.poll(async () => (await episodes()).map((e) => [e.state, e.by !== null]), { timeout: 60_000, interval: 500 }).toEqual([['resolved', true]]);
  // …and the operator saw the resolution live, acknowledgement kept
  await expect.poll(() => pushed.some((p) => p.episodeId === episode!.id && p.state === 'resolved' && p.acknowledgedBy === 'admin'), { timeout: 30_000, interval: 250 }).toBe(true);
  operator.disconnect();
});
