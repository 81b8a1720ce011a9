/**
 * Api under load: a fresh chDB store is filled *inside the engine* with N capacity reports
 * (`INSERT INTO capacity_raw SELECT … FROM numbers(…)`: ~500 facilities reporting every
 * ~26 min for a year, with occupancy waves), so the materialised views fill capacity_asof,
 * capacity_latest and the 1m/1h/1d rollups exactly as the processor's inserts would. Then the
 * real api (`buildServer`) listens on loopback and autocannon (in its own worker thread, so
 * its clock is not stalled by the server's work) loads three read routes at a few
 * concurrency levels. Prints one JSON line and one readable line.
 * The api runs without a processor, like a distributed `haidang api`: its read path keeps an
 * answer `--read-cache-ms` (default 2,000, the api's own; 0 = identical reads in flight shared,
 * nothing kept; `off` = no read path, every request asks the engine, as before it).
 * `--via store` runs the same load through `haidang store` (chDB served as ClickHouse HTTP, in a
 * child process, as a distributed deployment reads it) instead of chDB in the api's process;
 * `--via embedded,store` loads once and runs both, one after the other, on the same folder.
 * `--feed N` (embedded only): the api is fed by a processor over the in-process log, as in
 * `haidang start`, and N capacity reports a second are published while each route is loaded:
 * every stored batch drops the answers of capacity, so this is the read path under a live city.
 * Routes: current state, the KPI series (30 days at 1 h), the capacity series of the city, of
 * one tier and of one facility (a year at 1 d), and one facility's 30 days at 1 h.
 *   npx tsx bench/api-load.ts [--rows 10000000] [--facilities 500] [--connections 8,50] [--seconds 10] [--read-cache-ms 2000] [--via embedded|store|embedded,store] [--feed 0]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePorts } from './free-ports.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pino from 'pino';
import { migrate, openStore, startEmbeddedPipeline } from '@haidang/stream';
import { buildServer, migrateApi } from '@haidang/api';
import { listenSignedIn } from './admin-session.ts';
import { capacityEvent } from './bench-events.ts';
import { benchPlaces } from './bench-places.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    facilities: { type: 'string', default: '500' },
    connections: { type: 'string', default: '8,50' },
    seconds: { type: 'string', default: '10' },
    'read-cache-ms': { type: 'string', default: '2000' },
    via: { type: 'string', default: 'embedded' },
    feed: { type: 'string', default: '0' },
  },
});
const rows = Number(args.rows);
const facilities = Number(args.facilities);
const connections = args.connections.split(',').map(Number);
const seconds = Number(args.seconds);
const readCacheMs = args['read-cache-ms'] === 'off' ? 'off' : Number(args['read-cache-ms']);
const vias = args.via.split(',');
for (const v of vias) if (v !== 'embedded' && v !== 'store') throw new Error(`--via: embedded, store or both (embedded,store), not ${v}`);
const feed = Number(args.feed);
if (feed > 0 && vias.includes('store')) throw new Error('--feed runs the processor in the api process: --via embedded only');
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
/** the feed's reports are observed from 2026-01-01 on, a minute apart per facility (bench-events.ts) */
const feedWeek = { from: new Date('2025-12-31T00:00:00Z'), to: new Date('2026-01-07T00:00:00Z') };

const yearStart = new Date('2022-08-15T00:00:00+07:00');
const yearEnd = new Date(yearStart.getTime() + 365 * 86_400_000);
const perFacility = Math.ceil(rows / facilities);
const stepMs = Math.floor((yearEnd.getTime() - yearStart.getTime()) / perFacility);

const logger = pino({ level: 'warn' });
const dataDir = mkdtempSync(join(tmpdir(), 'haidang-bench-api-'));

/** `haidang store` in a child process on a free port, ready when it says so */
async function startStoreProcess(): Promise<{ url: string; password: string; stop: () => Promise<void> }> {
  const port = await freePorts(1);
  const password = `bench-${process.pid}-store-password`;
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'haidang.mjs'), 'store'], {
    env: { ...process.env, HAIDANG_DATA_DIR: dataDir, HAIDANG_STORE_PORT: String(port), HAIDANG_OPS_PORT: '0', CLICKHOUSE_USER: 'haidang', CLICKHOUSE_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((res, rej) => {
    const seen = (b: Buffer) => {
      out += b.toString();
      if (/store ready/.test(out)) res();
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => rej(new Error(`haidang store exited ${code}: ${out.slice(-2000)}`)));
  });
  progress(`haidang store on port ${port}`);
  return {
    url: `http://127.0.0.1:${port}`,
    password,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
/** the store as the api of `via` opens it: chDB in this process, or `haidang store` in a child */
async function openVia(via: string) {
  const storeProcess = via === 'store' ? await startStoreProcess() : undefined;
  const store = await openStore(storeProcess ? { dataDir, url: storeProcess.url, username: 'haidang', password: storeProcess.password } : { dataDir });
  return { store, close: async () => (await store.close(), await storeProcess?.stop()) };
}
let opened = await openVia(vias[0]!);
const store = opened.store;
await migrate(store.client);
await migrateApi(store.client, logger);

/**
 * One chunk of reports generated by the engine. Facility f = number % facilities reports
 * its seq-th reading at start + seq·step (+ a per-facility offset); occupancy follows three
 * waves a year plus per-facility and per-report noise; tiers 1/2/3 as 50/35/15 %.
 */
const chunkSql = (offset: number, count: number) => `
INSERT INTO capacity_raw (id, source, entity, observed_at, received_at, version, log_partition, log_offset,
  tier, beds_total, beds_occupied, oxygen_beds_total, oxygen_beds_occupied, o2_mask, o2_hfnc, o2_niv, o2_invasive, o2_ecmo,
  icu_beds_total, icu_beds_occupied, ventilators_total, ventilators_in_use, oxygen_stock_litres, staff_on_duty)
SELECT generateUUIDv4(number), 'bench', concat('f-', leftPad(toString(f), 4, '0')), obs, obs + toIntervalSecond(30 + h % 900), 1,
  number % 4, number,
  tier, beds, toUInt32(round(beds * load)), oxy, oxy_occ,
  oxy_occ - hfnc - niv - inv, hfnc, niv, inv, 0,
  icu, toUInt32(round(icu * load)), icu, toUInt32(round(icu * load * 0.6)),
  4000 + (h % 8000), toUInt32(10 + intDiv(beds, 5))
FROM (
  SELECT number, cityHash64(number) AS h,
    number % ${facilities} AS f, intDiv(number, ${facilities}) AS seq,
    toDateTime64('${yearStart.toISOString().slice(0, 19).replace('T', ' ')}', 3, 'UTC') + toIntervalMillisecond(seq * ${stepMs} + (f * 7919) % ${stepMs}) AS obs,
    multiIf(f % 20 < 10, 1, f % 20 < 17, 2, 3) AS tier,
    toUInt32(20 + (f * 37) % 180) AS beds,
    toUInt32(intDiv(beds * (30 + f % 50), 100)) AS oxy,
    greatest(0., least(1., 0.5 + 0.35 * sin(2 * pi() * seq / ${perFacility / 3}) + (f % 7 - 3) / 30 + ((h % 21) - 10) / 200.)) AS load,
    toUInt32(round(oxy * load)) AS oxy_occ,
    toUInt32(intDiv(oxy_occ, 5)) AS hfnc, toUInt32(intDiv(oxy_occ, 10)) AS niv, toUInt32(if(tier = 3, intDiv(oxy_occ, 10), 0)) AS inv,
    toUInt32(if(tier = 3, intDiv(beds, 5), 0)) AS icu
  FROM numbers(${offset}, ${count})
)`;

const chunk = 1_000_000;
const loadStart = performance.now();
for (let offset = 0; offset < rows; offset += chunk) {
  await store.client.command({ query: chunkSql(offset, Math.min(chunk, rows - offset)) });
  progress(`loaded ${Math.min(offset + chunk, rows).toLocaleString('en')} / ${rows.toLocaleString('en')} rows (${((performance.now() - loadStart) / 1000).toFixed(0)} s)`);
}
const loadSeconds = (performance.now() - loadStart) / 1000;

const queryOne = async <T>(query: string) => ((await (await store.client.query({ query, format: 'JSONEachRow' })).json()) as T[])[0]!;
// background merges compete with the queries; say how many were running when the load began
const mergeWaitStart = performance.now();
let merging = 0;
for (;;) {
  merging = Number((await queryOne<{ n: string }>('SELECT count() AS n FROM system.merges')).n);
  if (!merging || performance.now() - mergeWaitStart > 120_000) break;
  progress(`waiting for ${merging} background merges (${((performance.now() - mergeWaitStart) / 1000).toFixed(0)} s)`);
  await new Promise((r) => setTimeout(r, 5_000));
}
const mergeSeconds = (performance.now() - mergeWaitStart) / 1000;
const tableRows = async (t: string) => Number((await queryOne<{ n: string }>(`SELECT sum(rows) AS n FROM system.parts WHERE active AND table = '${t}'`)).n);
const tables = Object.fromEntries(await Promise.all(['capacity_raw', 'capacity_asof', 'capacity_latest', 'capacity_1m', 'capacity_1h', 'capacity_1d'].map(async (t) => [t, await tableRows(t)] as const)));

/** the real api over `client`, each route loaded at each concurrency */
async function loadRoutes(client: typeof store.client) {
  // queries still running when a run ends (autocannon drops its connections, the handlers go on)
  // would slow the next run; the api's store client is wrapped to count them
  let queriesInFlight = 0;
  const countedClient = new Proxy(client, {
    get(target, prop) {
      if (prop === 'query')
        return async (...a: Parameters<typeof target.query>) => {
          queriesInFlight++;
          try {
            return await target.query(...a);
          } finally {
            queriesInFlight--;
          }
        };
      const v: unknown = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });

  const adminPassword = 'bench-admin-password-1';
  // --feed: a processor stores a live feed in this process and tells the api of each stored batch
  const pipeline = feed > 0 ? await startEmbeddedPipeline({ store: client, logger, groupId: 'bench-feed', partitions: 4 }) : undefined;
  let batchesStored = 0;
  pipeline?.processor.onStored(() => batchesStored++);
  const app = await buildServer({
    store: countedClient,
    processor: pipeline?.processor,
    logger,
    migrated: true,
    places: benchPlaces(facilities),
    auth: { adminPassword, sessionSecret: 'b'.repeat(48), sessionHours: 1, cookieSecure: false },
    // the default 1,200 requests a minute per client would answer 429 within a second of load
    rateLimits: { global: { max: 1e9, timeWindow: 60_000 } },
    // fed by a processor, the api keeps answers until the next stored batch (its own ceiling, as in `haidang start`)
    reads: readCacheMs === 'off' ? false : pipeline ? {} : { ttlMs: readCacheMs },
  });
  await app.start();
  let fed = 0;
  const facilityId = (i: number) => `f-${String(i % facilities).padStart(4, '0')}`;
  const feeding = pipeline
    ? setInterval(() => {
        const batch = Array.from({ length: Math.max(1, Math.round(feed / 10)) }, () => capacityEvent(fed++, 'feed', undefined, facilityId));
        // a publish still in flight when the run ends is refused by the closing log: not a result
        pipeline.transport.publish(pipeline.topics.of('capacity'), batch).catch(() => {});
      }, 100)
    : undefined;
  const drained = async () => {
    for (let idle = 0; idle < 3; ) {
      await new Promise((r) => setTimeout(r, 200));
      idle = queriesInFlight ? 0 : idle + 1;
    }
  };
  const { cookie, base } = await listenSignedIn(app, adminPassword);

  const iso = (d: Date) => encodeURIComponent(d.toISOString());
  const kpiFrom = new Date(yearEnd.getTime() - 30 * 86_400_000);
  const routes = [
    { name: 'capacity/facilities', path: '/api/v1/capacity/facilities' },
    { name: 'kpi series 30 d @1h', path: `/api/v1/kpi/capacity-oxygen-occupancy/series?from=${iso(kpiFrom)}&to=${iso(yearEnd)}&step=1h` },
    { name: 'capacity/series 1 y @1d', path: `/api/v1/capacity/series?from=${iso(yearStart)}&to=${iso(yearEnd)}&step=1d` },
    { name: 'capacity/series 1 y @1d tier 2', path: `/api/v1/capacity/series?from=${iso(yearStart)}&to=${iso(yearEnd)}&step=1d&tier=2` },
    { name: 'capacity/series 1 y @1d 1 facility', path: `/api/v1/capacity/series?from=${iso(yearStart)}&to=${iso(yearEnd)}&step=1d&facility=f-0007` },
    { name: 'capacity/series 30 d @1h 1 facility', path: `/api/v1/capacity/series?from=${iso(kpiFrom)}&to=${iso(yearEnd)}&step=1h&facility=f-0007` },
    // with --feed: the week the feed's reports are observed in, which every stored batch changes
    ...(pipeline ? [{ name: 'capacity/series 7 d @1h (the fed week)', path: `/api/v1/capacity/series?from=${iso(feedWeek.from)}&to=${iso(feedWeek.to)}&step=1h` }] : []),
  ];

  // one request each first: the answer must be a 200 with data, or the load figures mean nothing
  const answers: Record<string, { bytes: number; items: number; singleMs: number }> = {};
  for (const r of routes) {
    const t = performance.now();
    const res = await fetch(base + r.path, { headers: { cookie } });
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`${r.path}: ${res.status} ${JSON.stringify(body)}`);
    const list = (body.facilities ?? body.points) as unknown[];
    answers[r.name] = { bytes: JSON.stringify(body).length, items: list.length, singleMs: Math.round(performance.now() - t) };
  }

  const results: Array<{ route: string; connections: number; requestsPerSecond: number; p50Ms: number; p99Ms: number; maxMs: number; requests: number; non2xx: number; errors: number; timeouts: number }> = [];
  for (const r of routes) {
    for (const c of connections) {
      progress(`${r.name}: ${c} connections for ${seconds} s…`);
      const out = await autocannon({ url: base + r.path, connections: c, duration: seconds, headers: { cookie }, workers: 1, timeout: 30 });
      await drained();
      results.push({
        route: r.name,
        connections: c,
        requestsPerSecond: +out.requests.average.toFixed(1),
        p50Ms: out.latency.p50,
        p99Ms: out.latency.p99,
        maxMs: out.latency.max,
        requests: out.requests.total,
        non2xx: out.non2xx,
        errors: out.errors,
        timeouts: out.timeouts,
      });
      progress(`  ${results.at(-1)!.requestsPerSecond} req/s, p50 ${out.latency.p50} ms, p99 ${out.latency.p99} ms${out.non2xx + out.errors ? `, ${out.non2xx} non-2xx, ${out.errors} errors` : ''}`);
    }
  }
  const rssMiB = +(process.memoryUsage().rss / 2 ** 20).toFixed(0);
  clearInterval(feeding);
  await app.close();
  await pipeline?.stop();
  return { answers, results, rssMiB, ...(pipeline ? { feed: { eventsPerSecond: feed, published: fed, batchesStored } } : {}) };
}

const runs: Array<{ via: string } & Awaited<ReturnType<typeof loadRoutes>>> = [];
for (const [i, via] of vias.entries()) {
  if (i > 0) opened = await openVia(via);
  progress(`serving ${via === 'store' ? 'through haidang store' : 'with chDB in the api process'}`);
  runs.push({ via, ...(await loadRoutes(opened.store.client)) });
  await opened.close();
}
rmSync(dataDir, { recursive: true, force: true });

console.log(JSON.stringify({ bench: 'api-load', rows, facilities, readCacheMs, loadSeconds: +loadSeconds.toFixed(1), rowsPerSecond: Math.round(rows / loadSeconds), mergesAtStart: merging, mergeWaitSeconds: +mergeSeconds.toFixed(1), tables, seconds, runs }));
for (const r of runs) {
  console.log(
    `api load (${r.via === 'store' ? 'through haidang store' : 'chDB in the api process'}${r.feed ? `, fed ${r.feed.eventsPerSecond} capacity reports/s by a processor: ${r.feed.batchesStored} batches stored` : ''}): ${rows.toLocaleString('en')} capacity rows (${facilities} facilities, 1 year) loaded in ${loadSeconds.toFixed(1)} s; ` +
      r.results.map((x) => `${x.route} c=${x.connections}: ${x.requestsPerSecond} req/s p50 ${x.p50Ms} ms p99 ${x.p99Ms} ms`).join('; '),
  );
}
