/**
 * Side by side, same topic, same machine, same run:
 *   - Kafka's own kafka-producer-perf-test / kafka-consumer-perf-test (from the jars): the ceiling of the broker here;
 *   - ClickHouse's own Kafka table engine (in chDB): the peer a user would pick instead, configured
 *     as ClickHouse's documentation recommends for throughput (JSONEachRow into typed columns and
 *     named tuples, one consumer with its own thread per core, 64k-row blocks) into one bare
 *     MergeTree and into the same tables Hải Đăng writes (raw with its as-of, latest, rollup and
 *     id views), which is what the dashboard needs either way; and as this bench configured it
 *     before (JSONAsString + one JSONExtract per column, one consumer) into our tables;
 *   - Hải Đăng with 1 `haidang stream` worker (its own chDB), and with 2 workers sharing the
 *     partitions and one store through `haidang store`: the 1M-event drain (every event stored
 *     exactly once is checked: count() = uniqExact(id) = N), then end-to-end latency at a fixed
 *     rate (stored_at − receivedAt, both stamped on this machine's clock), each process's peak RSS, and the CPU
 *     an event cost each worker and the store while draining (less noisy than events/s on a shared VM;
 *     with the rows each insert carried, which the store's cost depends on;
 *     --cpu-prof-dir writes each service's V8 CPU profile there).
 * Prints one JSON line per run and a readable table; never passes or fails on time.
 *   npx tsx bench/peers.ts [--events 1000000] [--partitions 4] [--rate 20000] [--seconds 15] [--workers-only] [--distributed-only] [--semi-space-mb 8] [--batch-rows 20000] [--cpu-prof-dir dir] [--worker-node-flags '--heap-growing-percent=20'] [--worker-env MALLOC_TRIM_THRESHOLD_=1048576 …]
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { kafkaScript, startBenchBroker } from './bench-broker.ts';
import { freePorts } from './free-ports.ts';
import { capacityEvent } from './bench-events.ts';
import { sampleMemory, type MemoryAtPeak } from './worker-memory.ts';
import type { ClickHouseClient } from '@clickhouse/client';
import { KafkaTransport, migrate, openStore, TopicNames } from '@haidang/stream';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, partitions: { type: 'string', default: '4' }, rate: { type: 'string', default: '20000' }, seconds: { type: 'string', default: '15' }, 'workers-only': { type: 'boolean', default: false }, 'distributed-only': { type: 'boolean', default: false }, 'semi-space-mb': { type: 'string', default: '8' }, 'batch-rows': { type: 'string', default: '20000' }, 'cpu-prof-dir': { type: 'string' }, 'worker-node-flags': { type: 'string', default: '' }, 'worker-env': { type: 'string', multiple: true, default: [] } } });
const N = Number(args.events);
const latencyRate = Number(args.rate);
const latencySeconds = Number(args.seconds);
/** --workers-only: skip the peers, measure only Hải Đăng's workers */
const workersOnly = args['workers-only'];
const partitions = Number(args.partitions);
const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'bin/haidang.mjs');
const run = promisify(execFile);
const log = (s: string) => process.stderr.write(`[peers] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const broker = startBenchBroker(await freePorts(2), { heap: '-Xmx1g -Xms512m' });
// every data folder of the run under one, removed when the bench ends however it ends (each run's store is hundreds of MiB)
const scratch = mkdtempSync(join(tmpdir(), 'haidang-peers-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
const brokers = broker.brokers;
const kafka = new KafkaTransport({ brokers: [brokers], clientId: 'peers', logger: pino({ level: 'error' }) });
const topics = new TopicNames(`peers-${Date.now()}.`);
await kafka.ensureTopics(topics.all(), partitions);
const topic = topics.of('capacity');
const results: Array<Record<string, unknown>> = [];
/** one JSON line and one readable line per run */
const report = (r: Record<string, unknown>) => {
  results.push(r);
  console.log(JSON.stringify({ bench: 'peers', events: N, partitions, ...r }));
  console.log(`  ${readable(r)}`);
};
function readable(r: Record<string, unknown>): string {
  const parts = [`${String(r.run)}: ${Number(r.eventsPerSecond).toLocaleString('en')} events/s`];
  if (r.configuration) parts.push(String(r.configuration));
  if (r.stored !== undefined) {
    const exact = r.uniqueIds !== undefined && r.expected !== undefined ? (r.stored === r.expected && r.uniqueIds === r.expected ? 'exactly once: yes' : 'exactly once: NO') : '';
    parts.push(`stored ${r.stored}${r.uniqueIds !== undefined ? `, unique ids ${r.uniqueIds}` : ''}${exact ? `, ${exact}` : ''}`);
  }
  if (r.latencyP50Ms !== undefined) parts.push(`p50/p99 ${r.latencyP50Ms}/${r.latencyP99Ms} ms at ${r.latencyRate}/s`);
  if (r.workerRowsPerInsert !== undefined) parts.push(`${(r.workerRowsPerInsert as number[]).join(', ')} rows an insert`);
  if (r.workerCpuUsPerEvent !== undefined) parts.push(`worker CPU ${(r.workerCpuUsPerEvent as number[]).join(', ')} µs/event${r.storeCpuUsPerEvent !== undefined ? `, store ${r.storeCpuUsPerEvent}` : ''}, machine ${r.machineBusyPercent}% busy while draining`);
  if (r.workerPeakRssMiB !== undefined) parts.push(`peak RSS ${(r.workerPeakRssMiB as number[]).join(', ')} MiB${r.storePeakRssMiB ? `, store ${r.storePeakRssMiB} MiB` : ''}`);
  for (const m of (r.workerMemoryAtPeak as Array<MemoryAtPeak | undefined> | undefined) ?? []) {
    if (m) parts.push(`a worker at its peak: heap ${m.heapUsedMiB}/${m.heapTotalMiB} MiB (young ${m.youngGenMiB}), external ${m.externalMiB}, other ${m.otherMiB}`);
  }
  return parts.join('; ');
}

/** CPU seconds a process has used so far (user + system, /proc/<pid>/stat) */
function cpuSeconds(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}
/** the machine's busy and total CPU seconds so far (/proc/stat) */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0) / 100;
  return { busy: total - (f[3]! + f[4]!) / 100, total };
}

/** peak resident memory of a process, MiB (VmHWM) */
function peakRss(pid: number | undefined): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

// 1. the broker's ceiling for producing
if (!workersOnly) {
  const perfTopic = `${topics.prefix}perf`;
  await kafka.ensureTopics([perfTopic], partitions);
  log(`kafka-producer-perf-test: ${N} records of 500 B, acks=all`);
  const { stdout } = await run('bash', [kafkaScript, 'run-class', 'org.apache.kafka.tools.ProducerPerformance', '--topic', perfTopic, '--num-records', String(N), '--record-size', '500', '--throughput', '-1', '--producer-props', `bootstrap.servers=${brokers}`, 'acks=all'], { maxBuffer: 64 << 20 });
  const m = stdout.trim().split('\n').pop()!.match(/([\d.]+) records\/sec/);
  report({ run: 'kafka-producer-perf-test', eventsPerSecond: m ? Math.round(Number(m[1])) : null });
}

// 2. our events on the topic (kafkajs, acks=-1, idempotent)
{
  const t0 = performance.now();
  const at = new Date().toISOString();
  for (let i = 0; i < N; i += 20_000) {
    await kafka.publish(topic, Array.from({ length: Math.min(20_000, N - i) }, (_, j) => capacityEvent(i + j, 'bench', at)));
    if ((i / 20_000) % 10 === 0) log(`published ${i + 20_000}/${N}`);
  }
  report({ run: 'haidang publish (kafkajs)', eventsPerSecond: Math.round(N / ((performance.now() - t0) / 1000)) });
}

// 3. the broker's ceiling for consuming, on the same topic
if (!workersOnly) {
  log('kafka-consumer-perf-test on the same topic');
  const { stdout } = await run('bash', [kafkaScript, 'run-class', 'org.apache.kafka.tools.ConsumerPerformance', '--bootstrap-server', brokers, '--topic', topic, '--messages', String(N), '--group', `${topics.prefix}perf-consumer`, '--timeout', '60000'], { maxBuffer: 64 << 20 });
  const lines = stdout.trim().split('\n');
  const header = lines.findIndex((l) => l.includes('nMsg.sec'));
  const cols = lines[header]!.split(',').map((s) => s.trim());
  const vals = lines[header + 1]!.split(',').map((s) => s.trim());
  report({ run: 'kafka-consumer-perf-test', eventsPerSecond: Math.round(Number(vals[cols.indexOf('nMsg.sec')])) });
}

// 4. ClickHouse's Kafka table engine (chDB in this process), two ways:
//   - as ClickHouse's documentation recommends for throughput: a typed input format parsed once
//     (JSONEachRow into typed columns and named tuples, so the MV only renames), as many
//     consumers as cores (kafka_num_consumers ≤ cores and ≤ partitions), each with its own
//     thread and its own blocks (kafka_thread_per_consumer), 64k-row blocks (kafka_max_block_size,
//     kafka_poll_max_batch_size) — into one bare MergeTree, and into the tables we write;
//   - the configuration this bench used before (JSONAsString, one JSONExtract per column, one
//     consumer), into our tables, for comparison.
const cores = Math.min(availableParallelism(), partitions);
const extract = (raw: string) => ({
  id: `toUUID(JSONExtractString(${raw}, 'id'))`,
  source: `JSONExtractString(${raw}, 'source')`,
  entity: `JSONExtractString(${raw}, 'entity')`,
  observed_at: `parseDateTime64BestEffort(JSONExtractString(${raw}, 'observedAt'), 3)`,
  received_at: `parseDateTime64BestEffort(JSONExtractString(${raw}, 'receivedAt'), 3)`,
  tier: `JSONExtractUInt(${raw}, 'payload', 'tier')`,
  beds_total: `JSONExtractUInt(${raw}, 'payload', 'bedsTotal')`,
  beds_occupied: `JSONExtractUInt(${raw}, 'payload', 'bedsOccupied')`,
  oxygen_beds_total: `JSONExtractUInt(${raw}, 'payload', 'oxygenBedsTotal')`,
  oxygen_beds_occupied: `JSONExtractUInt(${raw}, 'payload', 'oxygenBedsOccupied')`,
});
/** the capacity event as typed columns: JSONEachRow parses each message once, straight into these */
const typedEvent = `id UUID, version UInt8, source String, entity String, observedAt DateTime64(3, 'UTC'), receivedAt DateTime64(3, 'UTC'),
  payload Tuple(tier UInt8, bedsTotal UInt32, bedsOccupied UInt32, oxygenBedsTotal UInt32, oxygenBedsOccupied UInt32,
    patientsBySupport Tuple(mask UInt32, hfnc UInt32, niv UInt32, invasive UInt32, ecmo UInt32),
    icuBedsTotal UInt32, icuBedsOccupied UInt32, ventilatorsTotal UInt32, ventilatorsInUse UInt32, oxygenStockLitres Float64, staffOnDuty Nullable(UInt32))`;
const typedColumns = {
  id: 'id', source: 'source', entity: 'entity', observed_at: 'observedAt', received_at: 'receivedAt',
  tier: 'payload.tier', beds_total: 'payload.bedsTotal', beds_occupied: 'payload.bedsOccupied', oxygen_beds_total: 'payload.oxygenBedsTotal', oxygen_beds_occupied: 'payload.oxygenBedsOccupied',
};
const typedOurs = {
  ...typedColumns, version: 'version', log_partition: '_partition', log_offset: '_offset',
  o2_mask: 'payload.patientsBySupport.mask', o2_hfnc: 'payload.patientsBySupport.hfnc', o2_niv: 'payload.patientsBySupport.niv', o2_invasive: 'payload.patientsBySupport.invasive', o2_ecmo: 'payload.patientsBySupport.ecmo',
  icu_beds_total: 'payload.icuBedsTotal', icu_beds_occupied: 'payload.icuBedsOccupied', ventilators_total: 'payload.ventilatorsTotal', ventilators_in_use: 'payload.ventilatorsInUse',
  oxygen_stock_litres: 'payload.oxygenStockLitres', staff_on_duty: 'payload.staffOnDuty',
};
interface EngineConfig {
  /** the queue table's columns */
  columns: string;
  format: string;
  settings: Record<string, string | number>;
  describe: string;
}
const documented: EngineConfig = {
  columns: typedEvent,
  format: 'JSONEachRow',
  // date_time_input_format: the ISO 8601 times (with T and Z) parse as they are read
  settings: { kafka_num_consumers: cores, kafka_thread_per_consumer: 1, kafka_max_block_size: 65536, kafka_poll_max_batch_size: 65536, kafka_flush_interval_ms: 1000, date_time_input_format: 'best_effort' },
  describe: `JSONEachRow typed, ${cores} consumers with a thread each, 64k blocks`,
};
const before: EngineConfig = {
  columns: 'raw String',
  format: 'JSONAsString',
  settings: { kafka_num_consumers: 1, kafka_max_block_size: 65536, kafka_flush_interval_ms: 500 },
  describe: 'JSONAsString + JSONExtract per column, 1 consumer',
};
const sqlValue = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v}'`);
// chDB binds one data folder per process, for the life of the process: every engine run shares it
const engineStore = workersOnly ? undefined : await openStore({ dataDir: mkdtempSync(join(scratch, 'engine-')) });
async function kafkaEngine(label: string, config: EngineConfig, table: (c: ClickHouseClient) => Promise<{ name: string; columns: Record<string, string> }>, extra: Record<string, unknown>) {
  log(`${label}: ${config.describe}`);
  const c = engineStore!.client;
  const target = await table(c);
  const t0 = performance.now();
  const run = `${target.name}_${Math.round(t0)}`;
  const group = `${topics.prefix}ch-engine-${run}`;
  const settings = { kafka_broker_list: brokers, kafka_topic_list: topic, kafka_group_name: group, kafka_format: config.format, ...config.settings };
  await c.command({ query: `CREATE TABLE peer_queue_${run} (${config.columns}) ENGINE = Kafka SETTINGS ${Object.entries(settings).map(([k, v]) => `${k} = ${sqlValue(v)}`).join(', ')}` });
  await c.command({ query: `CREATE MATERIALIZED VIEW peer_mv_${run} TO ${target.name} AS SELECT ${Object.entries(target.columns).map(([k, v]) => `${v} AS ${k}`).join(', ')} FROM peer_queue_${run}` });
  // timed like ours: from the first rows it stored (its consumers have joined), over the rest
  let n = 0;
  let first: { at: number; n: number } | undefined;
  while (n < N && performance.now() - t0 < 600_000) {
    await sleep(first ? 500 : 100);
    const rs = await c.query({ query: `SELECT count() AS n FROM ${target.name}`, format: 'JSONEachRow' });
    n = Number((await rs.json<{ n: string }>())[0]!.n);
    if (!first && n > 0) first = { at: performance.now(), n };
  }
  // all of it in the first block seen: timed from the start, consumer join included
  const from = first && first.n < n ? first : { at: t0, n: 0 };
  const seconds = (performance.now() - from.at) / 1000;
  const rs = await c.query({ query: `SELECT count() AS n, uniqExact(id) AS u FROM ${target.name}`, format: 'JSONEachRow' });
  const [all] = await rs.json<{ n: string; u: string }>();
  report({ run: label, configuration: config.describe, eventsPerSecond: Math.round((n - from.n) / seconds), stored: Number(all!.n), uniqueIds: Number(all!.u), validates: false, deduplicates: false, ...extra });
  await c.command({ query: `DROP TABLE peer_mv_${run}` });
  await c.command({ query: `DROP TABLE peer_queue_${run}` });
}
/** our tables, empty: migrated once, emptied between runs (raw and everything its views fill) */
let migrated = false;
async function ourTables(c: ClickHouseClient) {
  if (!migrated) await migrate(c);
  migrated = true;
  const rs = await c.query({ query: "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree' AND name != 'schema_migrations'", format: 'JSONEachRow' });
  for (const { name } of await rs.json<{ name: string }>()) await c.command({ query: `TRUNCATE TABLE ${name}` });
}
if (!workersOnly) {
  await kafkaEngine('ClickHouse Kafka engine, bare MergeTree', documented, async (c) => {
    await c.command({ query: `CREATE TABLE peer_capacity (id UUID, source LowCardinality(String), entity LowCardinality(String), observed_at DateTime64(3, 'UTC'), received_at DateTime64(3, 'UTC'), tier UInt8, beds_total UInt32, beds_occupied UInt32, oxygen_beds_total UInt32, oxygen_beds_occupied UInt32) ENGINE = MergeTree ORDER BY (entity, observed_at, id)` });
    return { name: 'peer_capacity', columns: typedColumns };
  }, { tables: 1 });
  await kafkaEngine('ClickHouse Kafka engine, our tables', documented, async (c) => {
    await ourTables(c);
    return { name: 'capacity_raw', columns: typedOurs };
  }, { tables: 6 });
  await kafkaEngine('ClickHouse Kafka engine, our tables, as before', before, async (c) => {
    await ourTables(c);
    const payload = (k: string) => `JSONExtractUInt(raw, 'payload', '${k}')`;
    const o2 = (k: string) => `JSONExtractUInt(raw, 'payload', 'patientsBySupport', '${k}')`;
    return {
      name: 'capacity_raw',
      columns: {
        ...extract('raw'), version: `JSONExtractUInt(raw, 'version')`, log_partition: '_partition', log_offset: '_offset',
        o2_mask: o2('mask'), o2_hfnc: o2('hfnc'), o2_niv: o2('niv'), o2_invasive: o2('invasive'), o2_ecmo: o2('ecmo'),
        icu_beds_total: payload('icuBedsTotal'), icu_beds_occupied: payload('icuBedsOccupied'), ventilators_total: payload('ventilatorsTotal'), ventilators_in_use: payload('ventilatorsInUse'),
        oxygen_stock_litres: `JSONExtractFloat(raw, 'payload', 'oxygenStockLitres')`, staff_on_duty: `JSONExtract(raw, 'payload', 'staffOnDuty', 'Nullable(UInt32)')`,
      },
    };
  }, { tables: 6 });
}
await engineStore?.close();

function service(cmd: string[], env: Record<string, string>): { child: ChildProcess; out: () => string } {
  // run as run-distributed.sh and docker-compose run them: --max-semi-space-size=8 for a `stream`
  // worker, 16 for the store (--semi-space-mb: the workers' one, the memory a worker trades for
  // less copying, to measure both sides)
  const semiSpace = cmd[0] === 'stream' ? Number(args['semi-space-mb']) : 16;
  // (--worker-node-flags: more V8/node flags for the `stream` workers only, e.g. a GC lever)
  const workerFlags = cmd[0] === 'stream' ? args['worker-node-flags'].split(/\s+/).filter(Boolean) : [];
  // (--worker-env K=V: environment for the workers only, e.g. glibc's MALLOC_* thresholds)
  const workerEnv = cmd[0] === 'stream' ? Object.fromEntries(args['worker-env'].map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])) : {};
  const child = spawn(process.execPath, [`--max-semi-space-size=${semiSpace}`, ...workerFlags, ...(args['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args['cpu-prof-dir'])}`] : []), cli, ...cmd], { cwd: root, env: { ...process.env, LOG_LEVEL: 'info', ...env, ...workerEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, out: () => out };
}

/** publish at a fixed rate for a while; each event's receivedAt is its publish instant */
async function publishAtRate(source: string): Promise<number> {
  const perTick = Math.max(1, Math.round(latencyRate / 20));
  const t0 = performance.now();
  let sent = 0;
  for (let tick = 0; performance.now() - t0 < latencySeconds * 1000; tick++) {
    const at = new Date().toISOString();
    await kafka.publish(topic, Array.from({ length: perTick }, (_, j) => capacityEvent(sent + j, source, at)));
    sent += perTick;
    const wait = t0 + (tick + 1) * 50 - performance.now();
    if (wait > 0) await sleep(wait);
  }
  return sent;
}

type Ask = (sql: string) => Promise<Record<string, string | number>>;
async function sqlOn(dataDir: string, sql: string): Promise<Record<string, string | number>> {
  const { stdout } = await run(process.execPath, [cli, 'sql', sql], { cwd: root, env: { ...process.env, HAIDANG_DATA_DIR: dataDir, LOG_LEVEL: 'error' } });
  return JSON.parse(stdout.trim().split('\n')[0]!);
}

async function drain(group: string, label: string, workers: ReturnType<typeof service>[], ask: Ask, extra: () => Record<string, unknown> = () => ({}), store?: ChildProcess) {
  while (!workers.every((w) => /partitions assigned/.test(w.out()))) {
    const dead = workers.find((w) => w.child.exitCode !== null);
    if (dead) throw new Error(`${label}: a worker exited before joining:\n${dead.out().slice(-2000)}`);
    await sleep(100);
  }
  const memory = workers.map((w) => sampleMemory(w.out));
  const lagNow = async () => (await kafka.lag(group, [topic]).catch(() => [])).reduce((a, l) => a + l.lag, 0);
  // timed from the moment every worker holds partitions, over what was left then: a worker that
  // joined first may have stored part of the topic before the second one's rebalance ended
  const t0 = performance.now();
  const drainedEvents = await lagNow();
  const cpu0 = workers.map((w) => cpuSeconds(w.child.pid));
  const storeCpu0 = cpuSeconds(store?.pid);
  const machine0 = machineCpu();
  const caughtUp = async () => {
    for (;;) {
      const lag = await kafka.lag(group, [topic]).catch(() => []);
      if (lag.length && lag.reduce((a, l) => a + l.lag, 0) === 0) return;
      await sleep(250);
    }
  };
  await caughtUp();
  const seconds = (performance.now() - t0) / 1000;
  // what an event cost each worker (its own thread, chDB's and the Kafka client's), and how busy the machine was
  const workerCpuUsPerEvent = workers.map((w, i) => Math.round(((cpuSeconds(w.child.pid) - cpu0[i]!) * 1e6) / Math.max(1, drainedEvents)));
  const storeCpuUsPerEvent = store ? Math.round(((cpuSeconds(store.pid) - storeCpu0) * 1e6) / Math.max(1, drainedEvents)) : undefined;
  const machine1 = machineCpu();
  const machineBusyPercent = Math.round((100 * (machine1.busy - machine0.busy)) / (machine1.total - machine0.total));
  // rows an insert while draining: from each worker's next progress line (every 5 s), nothing consumed meanwhile
  const progress = (w: ReturnType<typeof service>) => [...w.out().matchAll(/"inserts":(\d+),"rowsPerInsert":(\d+)/g)];
  const seen = workers.map((w) => progress(w).length);
  while (workers.some((w, i) => progress(w).length <= seen[i]!)) {
    const dead = workers.find((w) => w.child.exitCode !== null);
    if (dead) throw new Error(`${label}: a worker exited while draining:\n${dead.out().slice(-2000)}`);
    await sleep(200);
  }
  const workerRowsPerInsert = workers.map((w) => Number(progress(w).at(-1)![2]));
  // then the latency: a steady rate on top, measured by the store's own clock
  const source = `latency-${group}`;
  log(`${label}: ${latencyRate} events/s for ${latencySeconds} s`);
  const sent = await publishAtRate(source);
  await caughtUp();
  const rss = workers.map((w) => peakRss(w.child.pid));
  const workerMemoryAtPeak = memory.map((m) => m.stop());
  const figures = extra();
  // how many partitions each worker held at most (a worker that joined first held them all until the other joined)
  const workerMostPartitions = workers.map((w) => Math.max(0, ...w.out().split('\n').filter((l) => l.includes('"partitions assigned"')).map((l) => (JSON.parse(l) as { assigned: Array<{ partitions: number[] }> }).assigned.reduce((a, t) => a + t.partitions.length, 0))));
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => w.child.once('exit', r))));
  const drained = await ask("SELECT count() AS n, uniqExact(id) AS u FROM capacity_raw WHERE source = 'bench'");
  const lat = await ask(`SELECT count() AS n, quantileExact(0.5)(dateDiff('millisecond', received_at, stored_at)) AS p50, quantileExact(0.99)(dateDiff('millisecond', received_at, stored_at)) AS p99 FROM capacity_raw WHERE source = '${source}'`);
  report({ run: label, eventsPerSecond: drainedEvents > 0 ? Math.round(drainedEvents / seconds) : null, drainedEvents, stored: Number(drained.n), uniqueIds: Number(drained.u), expected: N, exactlyOnce: Number(drained.n) === N && Number(drained.u) === N, latencyRate, latencyEventsSent: sent, latencyEventsStored: Number(lat.n), latencyP50Ms: Number(lat.p50), latencyP99Ms: Number(lat.p99), workerPeakRssMiB: rss, workerMemoryAtPeak, workerCpuUsPerEvent, storeCpuUsPerEvent, machineBusyPercent, workerRowsPerInsert, workerMostPartitions, validates: true, deduplicates: true, ...figures });
}

const common = { KAFKA_BROKERS: brokers, HAIDANG_TOPIC_PREFIX: topics.prefix, HAIDANG_PARTITIONS: String(partitions), HAIDANG_BATCH_ROWS: String(Number(args['batch-rows'])) };

// 5. ours, one worker owning its chDB (--distributed-only: skipped, to sample the distributed workers more often)
if (!args['distributed-only']) {
  log('haidang stream ×1');
  const group = `${topics.prefix}one`;
  const dataDir = mkdtempSync(join(scratch, 'one-'));
  const w = service(['stream'], { ...common, HAIDANG_GROUP: group, HAIDANG_DATA_DIR: dataDir });
  // the worker owns its chDB folder while it runs: counted after it stopped, by `haidang sql` (this process has its own chDB)
  await drain(group, 'haidang stream ×1 (chDB in-process)', [w], (sql) => sqlOn(dataDir, sql));
}

// 6. ours, two workers sharing partitions and one store through `haidang store`
{
  log('haidang stream ×2 through haidang store');
  const group = `${topics.prefix}two`;
  const password = uuidv7();
  const storePort = await freePorts(1);
  const store = service(['store'], { HAIDANG_DATA_DIR: mkdtempSync(join(scratch, 'two-')), HAIDANG_STORE_PORT: String(storePort), CLICKHOUSE_PASSWORD: password });
  while (!/store ready/.test(store.out())) {
    if (store.child.exitCode !== null) throw new Error(`haidang store exited:\n${store.out().slice(-2000)}`);
    await sleep(100);
  }
  const env = { ...common, HAIDANG_GROUP: group, CLICKHOUSE_URL: `http://default:${password}@127.0.0.1:${storePort}` };
  // migrate once before the workers start, as infra/run-distributed.sh does: two workers must not race the DDL
  await run(process.execPath, [cli, 'migrate'], { cwd: root, env: { ...process.env, ...env } });
  const ws = [service(['stream'], env), service(['stream'], env)];
  const { createClient } = await import('@clickhouse/client');
  const client = createClient({ url: `http://default:${password}@127.0.0.1:${storePort}` });
  const ask: Ask = async (sql) => (await (await client.query({ query: sql, format: 'JSONEachRow' })).json<Record<string, string | number>>())[0]!;
  await drain(group, 'haidang stream ×2 (haidang store)', ws, ask, () => ({ storePeakRssMiB: peakRss(store.child.pid) }), store.child);
  await client.close();
  store.child.kill('SIGTERM');
}

await kafka.close();
// the broker served every run: its peak over the whole bench (JVM heap -Xmx1g)
const brokerPeakRssMiB = peakRss(broker.pid());
console.log(JSON.stringify({ bench: 'peers', run: 'broker', brokerPeakRssMiB }));
broker.stop();

const rate = (name: string) => Number(results.find((r) => r.run === name)?.eventsPerSecond ?? NaN);
const ours = Math.max(rate('haidang stream ×1 (chDB in-process)'), rate('haidang stream ×2 (haidang store)'));
console.log(`\n${'run'.padEnd(48)} ${'events/s'.padStart(9)}  stored/unique      p50/p99 ms at ${latencyRate}/s  peak RSS MiB`);
for (const r of results) {
  const exact = r.stored === undefined ? '' : `${r.stored}/${r.uniqueIds ?? '–'}`;
  const lat = r.latencyP50Ms === undefined ? '' : `${r.latencyP50Ms}/${r.latencyP99Ms}`;
  const rss = r.workerPeakRssMiB === undefined ? '' : [...(r.workerPeakRssMiB as number[]), ...(r.storePeakRssMiB ? [`store ${r.storePeakRssMiB}`] : [])].join(', ');
  console.log(`${String(r.run).padEnd(48)} ${String(r.eventsPerSecond).padStart(9)}  ${exact.padEnd(18)} ${lat.padEnd(23)} ${rss}`);
}
console.log(`Kafka broker (all runs)${' '.repeat(102)}${brokerPeakRssMiB ?? '?'}`);
const of = (name: string) => `${(ours / rate(name)).toFixed(2)}× ${name}`;
// --workers-only ran no peer: there is nothing to compare with
const compared = ['ClickHouse Kafka engine, our tables', 'ClickHouse Kafka engine, bare MergeTree', 'ClickHouse Kafka engine, our tables, as before', 'kafka-consumer-perf-test', 'kafka-producer-perf-test'].filter((name) => Number.isFinite(rate(name)));
if (compared.length) console.log(`ours (best) = ${compared.map(of).join(', ')}`);
