/**
 * Live fan-out: the api with a real Processor over the in-process log (this process: api +
 * embedded pipeline + chDB, "the server"), and a pool of client processes
 * (bench/fanout-clients.ts, `--procs` of them, `--clients` in all) holding one socket.io
 * connection per wall screen. Each pool process gets a wall token (half of them the operator's
 * view, half the health centre's), and each of its clients signs in with it as a real wall
 * does (its own session) and follows the 'capacity' channel. Capacity reports are published to
 * the log at a steady rate; the processor stores each batch in chDB and hands it to the live
 * channels, which coalesce per series and flush every `--window-ms`.
 *
 * Measured: publish → stored (the processor's stored-batch notification, the live channels'
 * input; this is the store path, not the fan-out), server flush → client receive (each delta frame carries the server's flush time),
 * publish → client receive (each report carries its publish time as `receivedAt`; this
 * includes storing the batch and up to one coalescing window), frames per client per second,
 * the server process's CPU (process.cpuUsage, % of one core), event-loop utilisation and RSS,
 * and the clients connected at the end. Prints one JSON line and one readable line.
 *   npx tsx bench/fanout.ts [--clients 1000] [--procs 10] [--rate 20] [--seconds 30] [--facilities 500] [--window-ms 500]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { migrate, openStore, startEmbeddedPipeline, type CapacityEvent } from '@haidang/stream';
import { buildServer } from '@haidang/api';
import { listenSignedIn } from './admin-session.ts';
import { benchPlaces } from './bench-places.ts';
import { startPool } from './fanout-pool.ts';
import { histogram } from './fanout-histogram.ts';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    procs: { type: 'string', default: '10' },
    rate: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '30' },
    facilities: { type: 'string', default: '500' },
    'window-ms': { type: 'string', default: '500' },
    wave: { type: 'string', default: '25' },
  },
});
const clients = Number(args.clients);
const procs = Math.min(Number(args.procs), clients);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const facilities = Number(args.facilities);
const windowMs = Number(args['window-ms']);
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const logger = pino({ level: 'warn' });
const dataDir = mkdtempSync(join(tmpdir(), 'haidang-bench-fanout-'));
const store = await openStore({ dataDir });
await migrate(store.client);
const pipeline = await startEmbeddedPipeline({ store: store.client, logger, groupId: 'bench', partitions: 4 });
const { transport, topics, processor } = pipeline;

const adminPassword = 'bench-admin-password-1';
const unlimited = { max: 1e9, timeWindow: 60_000 };
const app = await buildServer({
  store: store.client,
  processor,
  logger,
  places: benchPlaces(facilities),
  auth: { adminPassword, sessionSecret: 'b'.repeat(48), sessionHours: 1, cookieSecure: false },
  // every wall signs in once from one address: the bench lifts the sign-in limit, not the session checks
  rateLimits: { global: unlimited, login: unlimited },
  live: { windowMs },
});
await app.start();
const { cookie: adminCookie, base: url } = await listenSignedIn(app, adminPassword);

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
// one report per facility first, so every subscribe snapshot is a realistic list
await publish(Array.from({ length: facilities }, (_, f) => report(f, new Date().toISOString())));

// the client pool: one wall token per process, each client trades it for its own session
const pool = await startPool({
  clients,
  procs,
  progress,
  setupOf: async (i) => {
    const view = i % 2 === 0 ? 'operator' : 'health';
    const created = await app.inject({ method: 'POST', url: '/api/v1/wall-tokens', headers: { cookie: adminCookie }, payload: { label: `bench-wall-${i}`, view } });
    if (created.statusCode !== 201) throw new Error(`wall token: ${created.statusCode} ${created.body}`);
    return { kind: 'socket.io', url, token: created.json().token as string, wave: Number(args.wave) };
  },
});
const { connected, connectSeconds } = pool;

// steady publishing: every 50 ms, the reports due by now at `rate`, publish time as receivedAt
const ackLatencies = histogram();
// publish → stored: when the processor hands the stored batch to its listeners (the live channels among them)
const storedLatencies = histogram();
let measuringStored = false;
processor.onStored((_stream, events) => {
  if (!measuringStored) return;
  const now = Date.now();
  for (const e of events) storedLatencies.add(now - Date.parse(e.receivedAt));
});
let published = 0;
pool.measure();
measuringStored = true;
const cpuAtStart = process.cpuUsage();
const eluAtStart = performance.eventLoopUtilization();
let rssMax = 0;
const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 500);
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
    inFlight.push(publish(batch).then(() => ackLatencies.add(Date.now() - now)));
    if (now - lastProgress >= 5_000) {
      lastProgress = now;
      progress(`${Math.round((now - start) / 1000)} s: ${published} published`);
    }
  }, 50);
});
await Promise.all(inFlight);
// the last window's frame
await new Promise((r) => setTimeout(r, windowMs + 1_500));
const cpu = process.cpuUsage(cpuAtStart);
const elu = performance.eventLoopUtilization(eluAtStart);
clearInterval(rssTimer);
const elapsed = (Date.now() - start) / 1000;
measuringStored = false;
const clientsSaw = await pool.finish(elapsed);

await app.close();
await pipeline.stop();
await store.close();
rmSync(dataDir, { recursive: true, force: true });

const { flush, toClient, frames } = clientsSaw;
const fps = frames.map((f) => f / elapsed);
const result = {
  bench: 'fanout',
  clients,
  procs,
  connectedAtStart: connected,
  connectedAtEnd: clientsSaw.connectedAtEnd,
  sessionsEnded: clientsSaw.sessionsEnded,
  windowMs,
  ratePerSecond: rate,
  seconds,
  published,
  connectSeconds: +connectSeconds.toFixed(1),
  deliveries: toClient.total,
  flushToClientMs: { p50: flush.pct(50), p99: flush.pct(99), max: flush.pct(100) },
  publishToClientMs: { p50: toClient.pct(50), p99: toClient.pct(99), max: toClient.pct(100) },
  publishAckMs: { p50: ackLatencies.pct(50), p99: ackLatencies.pct(99) },
  publishToStoredMs: { p50: storedLatencies.pct(50), p99: storedLatencies.pct(99) },
  framesPerClientPerSecond: { mean: +(fps.reduce((a, b) => a + b, 0) / Math.max(1, fps.length)).toFixed(2), min: +Math.min(...fps).toFixed(2), max: +Math.max(...fps).toFixed(2) },
  clientsWithoutFrames: frames.filter((f) => f === 0).length,
  server: { cpuPercentOfOneCore: +((100 * (cpu.user + cpu.system)) / 1000 / (elapsed * 1000)).toFixed(0), eventLoopUtilisation: +elu.utilization.toFixed(2), rssMiBMax: +(rssMax / 2 ** 20).toFixed(0) },
  clientPool: { cpuPercentOfOneCore: clientsSaw.cpuPercentOfOneCore, rssMiB: clientsSaw.rssMiB },
};
console.log(JSON.stringify(result));
console.log(
  `fan-out to ${result.connectedAtEnd}/${clients} clients in ${procs} processes at ${rate} reports/s for ${seconds} s, window ${windowMs} ms: ` +
    `flush→client p50 ${result.flushToClientMs.p50} / p99 ${result.flushToClientMs.p99} ms, publish→client p50 ${result.publishToClientMs.p50} / p99 ${result.publishToClientMs.p99} ms ` +
    `(publish→stored p50 ${result.publishToStoredMs.p50} ms); ${result.framesPerClientPerSecond.mean} frames/client/s; server ${result.server.cpuPercentOfOneCore}% of a core, ELU ${result.server.eventLoopUtilisation}, RSS ${result.server.rssMiBMax} MiB; client pool ${result.clientPool.cpuPercentOfOneCore}% of a core`,
);
