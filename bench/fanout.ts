/**
 * Live fan-out: the api with a real Processor over the in-process log, N socket.io clients
 * (same process, loopback, one signed-in cookie reused) each following the 'capacity'
 * channel, and capacity reports published at a steady rate. Each report carries its publish
 * time as `receivedAt`; a client measures latency when the delta holding it arrives. The
 * server coalesces deltas per series and sends at most `framesPerSecond` (2) frames a second
 * to a client, so the latency includes up to that window (≤ 500 ms) on top of storing the
 * batch; reports superseded within a window are never sent (the newer one is).
 * Prints one JSON line and one readable line.
 *   npx tsx bench/fanout.ts [--clients 1000] [--rate 200] [--seconds 20] [--facilities 500]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { v7 as uuidv7 } from 'uuid';
import { migrate, openStore, startEmbeddedPipeline, type CapacityEvent } from '@haidang/stream';
import { buildServer } from '@haidang/api';
import { benchPlaces } from './bench-places.ts';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    facilities: { type: 'string', default: '500' },
  },
});
const clients = Number(args.clients);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const facilities = Number(args.facilities);
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const logger = pino({ level: 'warn' });
const dataDir = mkdtempSync(join(tmpdir(), 'haidang-bench-fanout-'));
const store = await openStore({ dataDir });
await migrate(store.client);
const pipeline = await startEmbeddedPipeline({ store: store.client, logger, groupId: 'bench', partitions: 4 });
const { transport, topics, processor } = pipeline;

const adminPassword = 'bench-admin-password-1';
const app = await buildServer({
  store: store.client,
  processor,
  logger,
  places: benchPlaces(facilities),
  auth: { adminPassword, sessionSecret: 'b'.repeat(48), sessionHours: 1, cookieSecure: false },
  rateLimits: { global: { max: 1e9, timeWindow: 60_000 } },
  live: { framesPerSecond: 2 },
});
await app.start();
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: adminPassword } });
const session = login.cookies.find((c) => c.name === 'haidang_session');
if (login.statusCode !== 200 || !session) throw new Error(`login: ${login.statusCode} ${login.body}`);
const cookie = `${session.name}=${session.value}`;
await app.listen({ host: '127.0.0.1', port: 0 });
const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

const report = (f: number, at: string): CapacityEvent => {
  const occupied = Math.floor(Math.random() * 40);
  return {
    id: uuidv7(),
    version: 1,
    source: 'bench',
    stream: 'capacity',
    entity: `f-${String(f).padStart(4, '0')}`,
    observedAt: at,
    receivedAt: at,
    payload: {
      tier: f % 20 < 10 ? 1 : f % 20 < 17 ? 2 : 3,
      bedsTotal: 60,
      bedsOccupied: occupied,
      oxygenBedsTotal: 40,
      oxygenBedsOccupied: occupied,
      patientsBySupport: { mask: occupied, hfnc: 0, niv: 0, invasive: 0, ecmo: 0 },
      icuBedsTotal: 0,
      icuBedsOccupied: 0,
      ventilatorsTotal: 0,
      ventilatorsInUse: 0,
      oxygenStockLitres: 5000,
      staffOnDuty: 12,
    },
  };
};
const publish = (events: CapacityEvent[]) => transport.publish(topics.of('capacity'), events.map((e) => ({ key: e.entity, value: Buffer.from(JSON.stringify(e)) })));
// one report per facility first, so every subscribe snapshot is a realistic 500 rows
await publish(Array.from({ length: facilities }, (_, f) => report(f, new Date().toISOString())));

// clients: one socket each (forceNew: no multiplexing over one Manager), connected in waves
const latencies: number[] = [];
const framesPer = new Array<number>(clients).fill(0);
const sockets: Socket[] = [];
let measuring = false;
const connectStart = performance.now();
for (let i = 0; i < clients; i += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, clients - i) }, async (_, j) => {
      const n = i + j;
      const s = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie, origin: url } });
      sockets.push(s);
      s.on('delta', (frame: { capacity?: Array<{ receivedAt: string }> }) => {
        if (!measuring || !frame.capacity) return;
        const now = Date.now();
        framesPer[n]!++;
        for (const item of frame.capacity) latencies.push(now - Date.parse(item.receivedAt));
      });
      await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
      const ack = (await s.timeout(60_000).emitWithAck('subscribe', 'capacity')) as { ok: boolean; error?: string };
      if (!ack.ok) throw new Error(`subscribe: ${ack.error}`);
    }),
  );
  if ((i / 50) % 4 === 3 || i + 50 >= clients) progress(`${Math.min(i + 50, clients)} / ${clients} clients connected and subscribed`);
}
const connectSeconds = (performance.now() - connectStart) / 1000;

// steady publishing: every 50 ms, the reports due by now at `rate` (a late tick catches up,
// as the fan-out itself delays timers in this one process), publish time as receivedAt
const storeLatencies: number[] = [];
let published = 0;
measuring = true;
const start = Date.now();
const inFlight: Array<Promise<void>> = [];
await new Promise<void>((resolve) => {
  let lastProgress = start;
  const tick = setInterval(() => {
    const now = Date.now();
    if (now - start >= seconds * 1000) {
      clearInterval(tick);
      resolve();
      return;
    }
    const at = new Date(now).toISOString();
    const due = Math.floor(((now - start) / 1000) * rate) - published;
    if (due <= 0) return;
    const batch = Array.from({ length: due }, () => report(Math.floor(Math.random() * facilities), at));
    published += batch.length;
    inFlight.push(publish(batch).then(() => void storeLatencies.push(Date.now() - now)));
    if (now - lastProgress >= 5_000) {
      lastProgress = now;
      progress(`${Math.round((now - start) / 1000)} s: ${published} published, ${latencies.length.toLocaleString('en')} deliveries`);
    }
  }, 50);
});
await Promise.all(inFlight);
// the last window's frame
await new Promise((r) => setTimeout(r, 1_500));
measuring = false;
const elapsed = (Date.now() - start) / 1000;

for (const s of sockets) s.disconnect();
await app.close();
await pipeline.stop();
await store.close();
rmSync(dataDir, { recursive: true, force: true });

// a million deliveries: typed-array sort, no spread into Math.max
const sortedOf = (xs: number[]) => Float64Array.from(xs).sort();
const pct = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);
const sortedLatencies = sortedOf(latencies);
const sortedStore = sortedOf(storeLatencies);
const fps = framesPer.map((f) => f / elapsed);
const result = {
  bench: 'fanout',
  clients,
  ratePerSecond: rate,
  seconds,
  published,
  publishedPerSecond: +(published / seconds).toFixed(0),
  connectSeconds: +connectSeconds.toFixed(1),
  deliveries: latencies.length,
  deliveriesPerClient: +(latencies.length / clients).toFixed(0),
  latencyMs: { p50: pct(sortedLatencies, 50), p99: pct(sortedLatencies, 99), max: sortedLatencies.at(-1) ?? NaN },
  publishToStoredMs: { p50: pct(sortedStore, 50), p99: pct(sortedStore, 99) },
  framesPerClientPerSecond: { mean: +(fps.reduce((a, b) => a + b, 0) / clients).toFixed(2), min: +Math.min(...fps).toFixed(2), max: +Math.max(...fps).toFixed(2) },
  clientsWithoutFrames: framesPer.filter((f) => f === 0).length,
  rssMiB: +(process.memoryUsage().rss / 2 ** 20).toFixed(0),
};
console.log(JSON.stringify(result));
console.log(
  `fan-out to ${clients} clients at ${result.publishedPerSecond} reports/s for ${seconds} s: publish→client p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms ` +
    `(includes the ≤500 ms coalescing window; publish→stored p50 ${result.publishToStoredMs.p50} ms); ${result.framesPerClientPerSecond.mean} frames/client/s, ${result.deliveriesPerClient} reports per client`,
);
