/**
 * Where each microsecond of an event goes: every step of the processor's path measured on its
 * own, in this process, as CPU time per event (process.cpuUsage, so chDB's own threads count):
 *   kafkajs fetch + decode + commit (a real broker, a consumer that does nothing else),
 *   JSON.parse, validation (the acceptor compiled from the contract), the TabSeparated line, and chDB's insert into the raw table
 *   alone and then with each materialised view added back (as-of, latest, 1h, 1d, the stored ids, the KPI hours; the 1m rollup is a plain view since migration 0002).
 * The sum is the CPU one event costs; 2 cores give 2,000,000 µs a second, hence a ceiling.
 * Prints one JSON line and a readable table; never passes or fails on time.
 *   npx tsx bench/profile.ts [--events 200000] [--batch 20000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Consumer, Producer, stringSerializers } from '@platformatic/kafka';
import pino from 'pino';
import { capacityEvent as capacityEventSchema, KafkaTransport, migrate, openStore, TopicNames } from '@haidang/stream';
import { bulkInsertFor } from '../stream/src/store/client.ts';
import { compileAcceptor } from '../stream/src/contracts/acceptor.ts';
import { eventLine, rawColumns } from '../stream/src/store/rows.ts';
import { TsvBody } from '../stream/src/store/tsv.ts';
import { startBenchBroker } from './bench-broker.ts';
import { capacityEvent } from './bench-events.ts';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '200000' }, batch: { type: 'string', default: '20000' } } });
const N = Number(args.events);
const B = Number(args.batch);
const log = (s: string) => process.stderr.write(`[profile] ${s}\n`);
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
/** CPU µs per event of `fn` over `n` events: the median of three runs after a warm-up (the VM is noisy) */
async function measure(fn: () => unknown, n = N): Promise<number> {
  await fn();
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const c0 = cpu();
    await fn();
    runs.push((cpu() - c0) / n);
  }
  return runs.sort((a, b) => a - b)[1]!;
}

const events = Array.from({ length: N }, (_, i) => capacityEvent(i));
const bytes = events.map((e) => Buffer.from(e.value));
const steps: Array<{ step: string; usPerEvent: number }> = [];
const step = (name: string, us: number) => {
  steps.push({ step: name, usPerEvent: Math.round(us * 100) / 100 });
  log(`${name}: ${us.toFixed(2)} µs/event`);
};
/** levers measured beside the path, not on it (not summed) */
const alternatives: Array<{ step: string; usPerEvent: number; instead: string }> = [];
const alternative = (name: string, us: number, instead: string) => {
  alternatives.push({ step: name, usPerEvent: Math.round(us * 100) / 100, instead });
  log(`${name} (instead of ${instead}): ${us.toFixed(2)} µs/event`);
};

// 1. the Kafka client: fetch, decode the record batches, commit; the handler does nothing
{
  const broker = startBenchBroker(39592);
  try {
    const kafka = new KafkaTransport({ brokers: [broker.brokers], clientId: 'profile', logger: pino({ level: 'error' }) });
    const topics = new TopicNames('profile.');
    await kafka.ensureTopics([topics.of('capacity')], 4);
    for (let i = 0; i < N; i += 20_000) await kafka.publish(topics.of('capacity'), events.slice(i, i + 20_000));
    let seen = 0;
    let done: () => void;
    const all = new Promise<void>((r) => (done = r));
    const c0 = cpu();
    const sub = await kafka.consume({ groupId: 'profile', topics: [topics.of('capacity')], fromBeginning: true, handler: async (batch) => {
      seen += batch.messages.length;
      if (seen >= N) done();
    } });
    await all;
    step('kafkajs fetch + decode + commit', (cpu() - c0) / N);
    await sub.stop();
    // the lever the reference names: @platformatic/kafka, same topic, its own group, same work (none)
    {
      const consumer = new Consumer({ groupId: 'profile-platformatic', clientId: 'profile', bootstrapBrokers: [broker.brokers] });
      const c1 = cpu();
      const stream = await consumer.consume({ topics: [topics.of('capacity')], mode: 'earliest', autocommit: 1000, maxBytes: 16 * 1024 * 1024, maxWaitTime: 250 });
      let got = 0;
      await new Promise<void>((done) => stream.on('data', () => {
        if (++got === N) done();
      }));
      alternative('@platformatic/kafka fetch + decode + commit', (cpu() - c1) / N, 'kafkajs fetch + decode + commit');
      await stream.close();
      await consumer.close();
    }
    // and producing, the ingest side: our kafkajs publish against @platformatic/kafka's producer
    {
      const batch = events.slice(0, 20_000);
      const rounds = Math.max(1, Math.floor(N / 20_000));
      const c1 = cpu();
      for (let r = 0; r < rounds; r++) await kafka.publish(topics.of('capacity'), batch);
      alternative('kafkajs publish (acks=-1, idempotent)', (cpu() - c1) / (rounds * 20_000), 'nothing: the ingest side');
      const producer = new Producer({ clientId: 'profile', bootstrapBrokers: [broker.brokers], serializers: stringSerializers, idempotent: true });
      const c2 = cpu();
      // a produce request's record batch must stay under the broker's 1 MiB: 1,000 events a send, one
      // at a time (an idempotent producer with sends in flight fails with OUT_OF_ORDER_SEQUENCE_NUMBER)
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < 20; k++) await producer.send({ messages: batch.slice(k * 1000, (k + 1) * 1000).map((e) => ({ topic: topics.of('capacity'), key: e.key, value: e.value })) });
      }
      alternative('@platformatic/kafka publish (idempotent)', (cpu() - c2) / (rounds * 20_000), 'kafkajs publish');
      await producer.close();
    }
    await kafka.close();
  } finally {
    broker.stop();
  }
}

// 2. the processor's own work per event, each step alone over one batch's worth of input
// (N/B passes over the same batch, so the live set is a batch, as in the processor)
const batch = bytes.slice(0, B);
const passes = (work: () => unknown) => () => {
  for (let i = 0; i < N; i += B) work();
};
const parsedBatch = batch.map((b) => JSON.parse(b.toString('utf8')) as unknown);
const accept = compileAcceptor(capacityEventSchema);
const validBatch = parsedBatch.map((v) => capacityEventSchema.parse(v));
step('JSON.parse', await measure(passes(() => batch.map((b) => JSON.parse(b.toString('utf8'))))));
step('validation: the acceptor compiled from the contract (zod for what it refuses)', await measure(passes(() => parsedBatch.map((v) => accept(v) || capacityEventSchema.parse(v)))));
alternative('zod safeParse of every event', await measure(passes(() => parsedBatch.map((v) => capacityEventSchema.parse(v)))), 'the acceptor');
const batchBytes = batch.reduce((a, b) => a + b.length, 0);
step('TabSeparated line into the batch body', await measure(passes(() => {
  const body = new TsvBody(batchBytes);
  for (const [i, e] of validBatch.entries()) body.add(eventLine(e, { partition: 0, offset: String(i) }));
  return body.bytes();
})));
const lines = bytes.map((b, i) => eventLine(capacityEventSchema.parse(JSON.parse(b.toString('utf8'))), { partition: 0, offset: String(i) }));

// 3. chDB: the raw table alone, then each view added back
const dataDir = mkdtempSync(join(tmpdir(), 'haidang-profile-store-'));
const store = await openStore({ dataDir });
await migrate(store.client);
const views = ['capacity_asof_mv', 'capacity_latest_mv', 'capacity_1h_mv', 'capacity_1d_mv', 'capacity_ids_by_time_mv', 'capacity_kpi_1h_mv'];
const ddl: Record<string, string> = {};
for (const v of views) {
  const rs = await store.client.query({ query: `SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name = {v:String}`, query_params: { v }, format: 'JSONEachRow' });
  ddl[v] = (await rs.json<{ q: string }>())[0]!.q;
  await store.client.command({ query: `DROP VIEW ${v}` });
}
const insert = bulkInsertFor(store.client);
const columns = rawColumns('capacity');
const chunks = Array.from({ length: Math.ceil(N / B) }, (_, i) => Buffer.from(`${lines.slice(i * B, (i + 1) * B).join('\n')}\n`));
let token = 0;
const insertAll = async () => {
  for (const body of chunks) await insert({ table: 'capacity_raw', columns, body, queryId: crypto.randomUUID(), settings: { insert_deduplicate: 1, insert_deduplication_token: `profile-${token++}`, deduplicate_blocks_in_dependent_materialized_views: 1, async_insert: 0 } });
};
let previous = await measure(insertAll);
step(`chDB insert into capacity_raw (${B} rows a batch)`, previous);
for (const v of views) {
  await store.client.command({ query: ddl[v]! });
  const now = await measure(insertAll);
  step(`  + view ${v.replace(/_mv$/, '')}`, Math.max(0, now - previous));
  previous = now;
}
// 4. the whole path in one go, a batch at a time: what the steps above do not explain is the
// garbage collector's share (a batch's objects alive across the insert) and the glue
const isolated = steps.filter((s) => !s.step.startsWith('kafkajs')).reduce((a, s) => a + s.usPerEvent, 0);
const whole = await measure(async () => {
  for (let i = 0; i < N; i += B) {
    const body = new TsvBody(batchBytes);
    for (let j = i; j < Math.min(i + B, N); j++) body.add(eventLine(capacityEventSchema.parse(JSON.parse(bytes[j]!.toString('utf8'))), { partition: 0, offset: String(j) }));
    await insert({ table: 'capacity_raw', columns, body: body.bytes(), queryId: crypto.randomUUID(), settings: { insert_deduplicate: 1, insert_deduplication_token: `profile-${token++}`, deduplicate_blocks_in_dependent_materialized_views: 1, async_insert: 0 } });
  }
});
step('garbage collection and glue (whole path − steps)', Math.max(0, whole - isolated));
await store.close();
rmSync(dataDir, { recursive: true, force: true });

const total = steps.reduce((a, s) => a + s.usPerEvent, 0);
console.log(JSON.stringify({ bench: 'profile', events: N, batchRows: B, steps, alternatives, totalUsPerEvent: Math.round(total * 100) / 100, twoCoreCeilingEventsPerSecond: Math.round(2_000_000 / total), node: process.version }));
console.log(`\n${'step'.padEnd(52)} µs/event`);
for (const s of steps) console.log(`${s.step.padEnd(52)} ${s.usPerEvent.toFixed(2).padStart(8)}`);
console.log(`${'total'.padEnd(52)} ${total.toFixed(2).padStart(8)}   → at most ${Math.round(2_000_000 / total).toLocaleString('en')} events/s on 2 cores (before the broker's own share and merges)`);
console.log('\nmeasured beside the path, not on it:');
for (const a of alternatives) console.log(`${a.step.padEnd(52)} ${a.usPerEvent.toFixed(2).padStart(8)}   (instead of ${a.instead})`);
