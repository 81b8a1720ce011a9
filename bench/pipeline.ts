/**
 * Pipeline benchmark: events through a real Kafka broker (infra/kafka, loopback) into chDB.
 *   phase 1, throughput: N events already on the topic; time until the processor stored them all.
 *   phase 2, latency: events published at a fixed rate while the processor runs; end-to-end
 *            latency = stored (after the ClickHouse insert returned) − published.
 * Prints one JSON line and one readable line. Never passes or fails on time.
 *   npx tsx bench/pipeline.ts [--events 200000] [--rate 5000] [--seconds 10] [--batch-rows 20000]
 * Uses KAFKA_BROKERS if set, otherwise starts (and stops) its own broker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchBroker } from './bench-broker.ts';
import { capacityEvent } from './bench-events.ts';
import pino from 'pino';
import { KafkaTransport, migrate, openStore, Processor, TopicNames } from '@haidang/stream';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '10' },
    'batch-rows': { type: 'string', default: '20000' },
  },
});
const N = Number(args.events);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const logger = pino({ level: 'warn' });
let lastProgress = 0;
/** one progress line, rewritten at most once a second */
const progress = (s: string) => {
  if (Date.now() - lastProgress < 1000) return;
  lastProgress = Date.now();
  process.stderr.write(process.stderr.isTTY ? `\r[bench] ${s}`.padEnd(70) : `[bench] ${s}\n`);
};

const ownBroker = process.env.KAFKA_BROKERS ? undefined : startBenchBroker(39492);
const brokers = process.env.KAFKA_BROKERS ?? ownBroker!.brokers;

const kafka = new KafkaTransport({ brokers: brokers.split(','), clientId: 'bench', logger });
const topics = new TopicNames(`bench-${Date.now()}.`);
await kafka.ensureTopics(topics.all(), 4);
const topic = topics.of('capacity');

const event = (i: number, at?: string) => capacityEvent(i, 'bench', at);

// phase 1: fill the topic, then let the processor drain it
const t0 = performance.now();
for (let i = 0; i < N; i += 20_000) {
  await kafka.publish(topic, Array.from({ length: Math.min(20_000, N - i) }, (_, j) => event(i + j)));
  progress(`published ${Math.min(i + 20_000, N)}/${N}`);
}
const produceSeconds = (performance.now() - t0) / 1000;

const dataDir = mkdtempSync(join(tmpdir(), 'haidang-bench-store-'));
const store = await openStore({ url: process.env.CLICKHOUSE_URL, dataDir });
await migrate(store.client);
const processor = new Processor({ transport: kafka, store: store.client, logger, topics, groupId: `bench-${Date.now()}`, maxBatchRows: Number(args['batch-rows']), streams: ['capacity'] });
const latencies: number[] = [];
let measuring = false;
processor.onStored((_s, events) => {
  if (!measuring) return;
  const now = Date.now();
  for (const e of events) latencies.push(now - Date.parse(e.receivedAt));
});
const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const t1 = performance.now();
const c1 = cpuNow();
await processor.start();
while (processor.counters.stored < N) {
  await new Promise((r) => setTimeout(r, 100));
  progress(`stored ${processor.counters.stored}/${N}`);
}
const drainSeconds = (performance.now() - t1) / 1000;
// CPU of this process (processor and chDB's threads; not the broker) per stored event: steadier than the rate on a shared machine
const drainCpuUsPerEvent = (cpuNow() - c1) / N;
const drainInserts = processor.counters.inserts;

// phase 2: fixed-rate publishing, latency per event
measuring = true;
const tick = 50;
const perTick = Math.max(1, Math.round((rate * tick) / 1000));
let sent = 0;
const end = Date.now() + seconds * 1000;
while (Date.now() < end) {
  const started = Date.now();
  const at = new Date().toISOString();
  await kafka.publish(topic, Array.from({ length: perTick }, (_, j) => event(sent + j, at)));
  sent += perTick;
  progress(`latency phase: sent ${sent}`);
  await new Promise((r) => setTimeout(r, Math.max(0, tick - (Date.now() - started))));
}
while (processor.counters.stored < N + sent) await new Promise((r) => setTimeout(r, 50));
process.stderr.write('\n');

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
const result = {
  bench: 'pipeline',
  transport: 'kafka (kafkajs 2.2.4, acks=-1, idempotent)',
  store: store.mode,
  partitions: 4,
  events: N,
  produceEventsPerSecond: Math.round(N / produceSeconds),
  pipelineEventsPerSecond: Math.round(N / drainSeconds),
  drainCpuUsPerEvent: Math.round(drainCpuUsPerEvent * 10) / 10,
  latencyRate: rate,
  latencyEvents: sent,
  latencyP50Ms: pct(50),
  latencyP99Ms: pct(99),
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  batchRows: Number(args['batch-rows']),
  drainRowsPerInsert: Math.round(N / Math.max(1, drainInserts)),
  node: process.version,
};
console.log(JSON.stringify(result));
console.log(`pipeline: ${result.pipelineEventsPerSecond.toLocaleString('en')} events/s Kafka→chDB (${N.toLocaleString('en')} events, 1 worker; ${result.drainCpuUsPerEvent} µs CPU an event in this process); at ${rate}/s end-to-end p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms; peak RSS ${result.peakRssMiB} MiB (producer+processor+chDB in one process)`);

await processor.stop();
await kafka.close();
await store.close();
rmSync(dataDir, { recursive: true, force: true });
ownBroker?.stop();
