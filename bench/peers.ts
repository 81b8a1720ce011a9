/**
 * Side by side, same topic, same machine, same run:
 *   - Kafka's own kafka-producer-perf-test / kafka-consumer-perf-test (from the jars): the ceiling of the broker here;
 *   - ClickHouse's own Kafka table engine (in chDB) consuming into a MergeTree: the peer a user would pick instead;
 *   - Hải Đăng with 1 `haidang stream` worker (its own chDB), and with 2 workers sharing the
 *     partitions and one store through `haidang store`.
 * Prints one JSON line per run and a readable table; never passes or fails on time.
 *   npx tsx bench/peers.ts [--events 1000000] [--partitions 4]
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { KafkaTransport, openStore, TopicNames } from '@haidang/stream';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, partitions: { type: 'string', default: '4' }, 'workers-only': { type: 'boolean', default: false } } });
const N = Number(args.events);
/** --workers-only: skip the peers, measure only Hải Đăng's workers */
const workersOnly = args['workers-only'];
const partitions = Number(args.partitions);
const root = resolve(import.meta.dirname, '..');
const kafkaScript = join(root, 'infra/kafka/kafka.sh');
const cli = join(root, 'bin/haidang.mjs');
const run = promisify(execFile);
const log = (s: string) => process.stderr.write(`[peers] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const port = 39692;
const brokerDir = mkdtempSync(join(tmpdir(), 'haidang-peers-kafka-'));
await run('bash', [kafkaScript, 'start', String(port), brokerDir], { env: { ...process.env, KAFKA_HEAP: '-Xmx1g -Xms512m' } });
// however the run ends, the broker it started stops with it
process.once('exit', () => {
  try {
    execFileSync('bash', [kafkaScript, 'stop', brokerDir], { stdio: 'ignore' });
  } catch {
    /* already stopped */
  }
});
const brokers = `127.0.0.1:${port}`;
const kafka = new KafkaTransport({ brokers: [brokers], clientId: 'peers', logger: pino({ level: 'error' }) });
const topics = new TopicNames(`peers-${Date.now()}.`);
await kafka.ensureTopics(topics.all(), partitions);
const topic = topics.of('capacity');
const results: Array<Record<string, unknown>> = [];
const report = (r: Record<string, unknown>) => {
  results.push(r);
  console.log(JSON.stringify({ bench: 'peers', events: N, partitions, ...r }));
};

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
    await kafka.publish(topic, Array.from({ length: Math.min(20_000, N - i) }, (_, j) => {
      const f = `facility-${(i + j) % 500}`;
      return { key: f, value: JSON.stringify({ id: uuidv7(), version: 1, stream: 'capacity', source: 'bench', entity: f, observedAt: at, receivedAt: at, payload: { tier: 2, bedsTotal: 200, bedsOccupied: 100, oxygenBedsTotal: 80, oxygenBedsOccupied: (i + j) % 80, patientsBySupport: { mask: 10, hfnc: 3, niv: 2, invasive: 1, ecmo: 0 }, icuBedsTotal: 20, icuBedsOccupied: 5, ventilatorsTotal: 10, ventilatorsInUse: 3, oxygenStockLitres: 50000 } }) };
    }));
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

// 4. ClickHouse's Kafka table engine (chDB in this process) into a MergeTree
if (!workersOnly) {
  log('ClickHouse Kafka engine → MergeTree');
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'haidang-peers-engine-')) });
  const c = store.client;
  await c.command({ query: `CREATE TABLE peer_capacity (id UUID, entity LowCardinality(String), observed_at DateTime64(3, 'UTC'), received_at DateTime64(3, 'UTC'), tier UInt8, beds_total UInt32, beds_occupied UInt32, oxygen_beds_total UInt32, oxygen_beds_occupied UInt32) ENGINE = MergeTree ORDER BY (entity, observed_at, id)` });
  const t0 = performance.now();
  await c.command({ query: `CREATE TABLE peer_queue (raw String) ENGINE = Kafka SETTINGS kafka_broker_list = '${brokers}', kafka_topic_list = '${topic}', kafka_group_name = '${topics.prefix}ch-engine', kafka_format = 'JSONAsString', kafka_num_consumers = 1, kafka_max_block_size = 65536, kafka_flush_interval_ms = 500` });
  await c.command({ query: `CREATE MATERIALIZED VIEW peer_mv TO peer_capacity AS SELECT toUUID(JSONExtractString(raw, 'id')) AS id, JSONExtractString(raw, 'entity') AS entity, parseDateTime64BestEffort(JSONExtractString(raw, 'observedAt'), 3) AS observed_at, parseDateTime64BestEffort(JSONExtractString(raw, 'receivedAt'), 3) AS received_at, JSONExtractUInt(raw, 'payload', 'tier') AS tier, JSONExtractUInt(raw, 'payload', 'bedsTotal') AS beds_total, JSONExtractUInt(raw, 'payload', 'bedsOccupied') AS beds_occupied, JSONExtractUInt(raw, 'payload', 'oxygenBedsTotal') AS oxygen_beds_total, JSONExtractUInt(raw, 'payload', 'oxygenBedsOccupied') AS oxygen_beds_occupied FROM peer_queue` });
  let n = 0;
  while (n < N && performance.now() - t0 < 600_000) {
    await sleep(500);
    const rs = await c.query({ query: 'SELECT count() AS n FROM peer_capacity', format: 'JSONEachRow' });
    n = Number((await rs.json<{ n: string }>())[0]!.n);
  }
  report({ run: 'ClickHouse Kafka engine (chDB)', eventsPerSecond: Math.round(n / ((performance.now() - t0) / 1000)), stored: n, validates: false, deduplicates: false });
  await c.command({ query: 'DROP TABLE peer_queue' });
  await store.close();
}

function service(cmd: string[], env: Record<string, string>): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, [cli, ...cmd], { cwd: root, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, out: () => out };
}

async function drain(group: string, label: string, workers: ReturnType<typeof service>[], extra: Record<string, unknown> = {}) {
  while (!workers.every((w) => /partitions assigned/.test(w.out()))) {
    const dead = workers.find((w) => w.child.exitCode !== null);
    if (dead) throw new Error(`${label}: a worker exited before joining:\n${dead.out().slice(-2000)}`);
    await sleep(100);
  }
  const t0 = performance.now();
  for (;;) {
    const lag = await kafka.lag(group, [topic]).catch(() => []);
    const left = lag.reduce((a, l) => a + l.lag, 0);
    if (lag.length && left === 0) break;
    await sleep(250);
  }
  const seconds = (performance.now() - t0) / 1000;
  const rss = workers.map((w) => peakRss(w.child.pid));
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => w.child.once('exit', r))));
  report({ run: label, eventsPerSecond: Math.round(N / seconds), workerPeakRssMiB: rss, validates: true, deduplicates: true, ...extra });
}

const common = { KAFKA_BROKERS: brokers, HAIDANG_TOPIC_PREFIX: topics.prefix, HAIDANG_PARTITIONS: String(partitions), HAIDANG_BATCH_ROWS: '20000' };

// 5. ours, one worker owning its chDB
{
  log('haidang stream ×1');
  const group = `${topics.prefix}one`;
  const w = service(['stream'], { ...common, HAIDANG_GROUP: group, HAIDANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'haidang-peers-one-')) });
  await drain(group, 'haidang stream ×1 (chDB in-process)', [w]);
}

// 6. ours, two workers sharing partitions and one store through `haidang store`
{
  log('haidang stream ×2 through haidang store');
  const group = `${topics.prefix}two`;
  const password = uuidv7();
  const store = service(['store'], { HAIDANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'haidang-peers-two-')), HAIDANG_STORE_PORT: '39695', CLICKHOUSE_PASSWORD: password });
  while (!/store ready/.test(store.out())) {
    if (store.child.exitCode !== null) throw new Error(`haidang store exited:\n${store.out().slice(-2000)}`);
    await sleep(100);
  }
  const env = { ...common, HAIDANG_GROUP: group, CLICKHOUSE_URL: `http://default:${password}@127.0.0.1:39695` };
  // migrate once before the workers start, as infra/run-distributed.sh does: two workers must not race the DDL
  await run(process.execPath, [cli, 'migrate'], { cwd: root, env: { ...process.env, ...env } });
  const ws = [service(['stream'], env), service(['stream'], env)];
  await drain(group, 'haidang stream ×2 (haidang store)', ws, { storePeakRssMiB: peakRss(store.child.pid) });
  store.child.kill('SIGTERM');
}

await kafka.close();
await run('bash', [kafkaScript, 'stop', brokerDir]);
rmSync(brokerDir, { recursive: true, force: true });

const rate = (name: string) => Number(results.find((r) => r.run === name)?.eventsPerSecond ?? NaN);
const ours = Math.max(rate('haidang stream ×1 (chDB in-process)'), rate('haidang stream ×2 (haidang store)'));
console.log(`\n${'run'.padEnd(40)} events/s`);
for (const r of results) console.log(`${String(r.run).padEnd(40)} ${String(r.eventsPerSecond).padStart(9)}`);
console.log(`ours (best) = ${(ours / rate('ClickHouse Kafka engine (chDB)')).toFixed(2)}× the ClickHouse Kafka engine, ${(ours / rate('kafka-consumer-perf-test')).toFixed(2)}× the broker's consumer ceiling, ${(ours / rate('kafka-producer-perf-test')).toFixed(2)}× its producer ceiling`);
