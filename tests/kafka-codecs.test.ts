import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TopicNames, type KafkaTransport } from '@haidang/stream';
import { capacityJson } from './fixtures.ts';
import { kcatProduce as produce, kcatValues as values } from './setup/kcat.ts';
import { distinctPickFile, picksOf, runProducerPerformance } from './setup/producer-performance.ts';
import { kafkaClient, repoRoot, scenario, sql, startHaidang, tempDir, waitForLagZero } from './setup/processes.ts';

/**
 * Every Kafka codec, written by clients nobody here wrote: kcat (librdkafka) with keys, null
 * keys, headers, tombstones and bytes that are not events; Kafka's own ProducerPerformance with
 * each compression.type. One `haidang stream` worker then reads them all, and each producer's
 * share is checked exactly once: stored count = uniqExact(id) = valid sent, dead letters =
 * invalid sent (with their reasons). And the other way round: what `haidang ingest
 * --compression X` writes, kcat and Kafka's Java consumer read, and the broker holds it compressed.
 */
const brokers = inject('kafkaBrokers');
const codecs = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
const perfTypes = ['none', ...codecs] as const;
let kafka: KafkaTransport;
beforeAll(() => {
  kafka = kafkaClient(brokers);
});
afterAll(async () => kafka.close());

const run = promisify(execFile);
const withSource = (json: string, source: string) => json.replace('"source":"test-producer"', `"source":"${source}"`);
const invalid = (json: string) => json.replace('"bedsTotal":200', '"bedsTotal":"200"');

const sourceOf = (value: string) => /"source":"([^"]+)"/.exec(value)?.[1];
function countBy<T>(items: T[], key: (t: T) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) {
    const k = key(i);
    if (k) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

describe('Kafka codecs, with producers nobody here wrote', () => {
  it('stores what kcat and ProducerPerformance write with every codec exactly once, and dead-letters every message that is no event', async () => {
    const s = scenario('codecs');
    const topics = new TopicNames(s.prefix);
    await kafka.ensureTopics(topics.all(), 4);
    const topic = topics.of('capacity');
    const expected: Record<string, { stored: number; dead: Record<string, number> }> = {};

    // kcat: keyed events, events with a null key, a tombstone, Latin-1 bytes, not JSON, a wrong field
    let i = 0;
    for (const codec of codecs) {
      const source = `kcat-${codec}`;
      const keyed = Array.from({ length: 40 }, () => Buffer.from(`facility-${i % 7}|${withSource(capacityJson(`facility-${i % 7}`, i++), source)}`));
      const nullKey = Array.from({ length: 10 }, () => Buffer.from(`|${withSource(capacityJson('facility-9', i++), source)}`));
      const poison = [
        Buffer.from(`tomb-${codec}|`),
        Buffer.concat([Buffer.from(`latin1-${codec}|`), Buffer.from(withSource(capacityJson('facility-1', i++), source).replace('"entity":"facility-1"', '"entity":"caf\u00e9"'), 'latin1')]),
        Buffer.from(`notjson-${codec}|{"id": "broken`),
        Buffer.from(`invalid-${codec}|${invalid(withSource(capacityJson('facility-2', i++), source))}`),
      ];
      await produce(brokers, topic, codec, [...keyed.slice(0, 20), ...poison.slice(0, 2), ...nullKey, ...poison.slice(2), ...keyed.slice(20)]);
      expected[source] = { stored: 50, dead: { HD_EVENT_TOMBSTONE: 1, HD_EVENT_NOT_UTF8: 1, HD_EVENT_NOT_JSON: 1, HD_EVENT_INVALID: 1 } };
    }

    // ProducerPerformance: records picked from a payload file (null keys); the picked lines are
    // distinct events, one in ten with a wrong field
    const records = 120;
    const { lines, picks } = distinctPickFile(records, 2_000);
    const dir = tempDir('perf-payloads');
    for (const type of perfTypes) {
      const source = `perf-${type}`;
      const payload: string[] = Array.from({ length: lines }, () => '-');
      picks.forEach((line, n) => {
        const json = withSource(capacityJson(`facility-${n % 5}`, i++), source);
        payload[line] = n % 10 === 9 ? invalid(json) : json;
      });
      const file = join(dir, `${type}.ndjson`);
      writeFileSync(file, `${payload.join('\n')}\n`);
      await runProducerPerformance({ brokers, topic, records, payloadFile: file, compression: type });
      expected[source] = { stored: records - records / 10, dead: { HD_EVENT_INVALID: records / 10 } };
    }

    // what was sent, as a third client (kcat) reads it back from the broker
    const sent = await values(brokers, topic);
    expect(countBy(sent, sourceOf)).toEqual(Object.fromEntries(Object.entries(expected).map(([src, e]) => [src, e.stored + (e.dead.HD_EVENT_INVALID ?? 0) + (e.dead.HD_EVENT_NOT_UTF8 ?? 0)])));

    const svc = startHaidang(['stream'], { KAFKA_BROKERS: brokers, HAIDANG_TOPIC_PREFIX: s.prefix, HAIDANG_GROUP: s.group, HAIDANG_DATA_DIR: s.dataDir, HAIDANG_PARTITIONS: '4' });
    await waitForLagZero(kafka, s.group, [topic]);
    expect(svc.alive()).toBe(true);
    svc.signal('SIGTERM');
    expect((await svc.exited).code).toBe(0);

    const stored = await sql<{ source: string; n: string; u: string }>(s.dataDir, 'SELECT source, count() n, uniqExact(id) u FROM capacity_raw GROUP BY source ORDER BY source');
    const dead = await sql<{ who: string; reason: string; n: string }>(
      s.dataDir,
      // a dead letter names its producer by the event's source when it could be read, else by the kcat key
      "SELECT if(source IS NULL, concat('kcat-', splitByChar('-', assumeNotNull(key))[2]), source) who, reason, count() n FROM deadletter GROUP BY who, reason ORDER BY who, reason",
    );
    const figures: Record<string, { sent: number; stored: number; deadLettered: number }> = {};
    for (const [src, e] of Object.entries(expected)) {
      const row = stored.find((r) => r.source === src);
      const deadRows = dead.filter((d) => d.who === src);
      // exactly once: count = uniqExact(id) = valid sent; dead letters = invalid sent, by reason
      expect([Number(row?.n), Number(row?.u)], src).toEqual([e.stored, e.stored]);
      expect(Object.fromEntries(deadRows.map((d) => [d.reason, Number(d.n)])), src).toEqual(e.dead);
      const deadLettered = deadRows.reduce((a, d) => a + Number(d.n), 0);
      figures[src] = { sent: e.stored + deadLettered, stored: Number(row?.n), deadLettered };
    }
    process.stderr.write(`codec figures (producer-codec: sent / stored / dead-lettered):\n${Object.entries(figures).map(([k, f]) => `  ${k}: ${f.sent} / ${f.stored} / ${f.deadLettered}`).join('\n')}\n`);
  }, 300_000);

  it('a resend by ProducerPerformance of thousands of stored events is found and skipped in one lookup, and each event is stored once', async () => {
    // 6,000 records picked from 3,000 events: ~2,850 distinct, the rest resends within the run.
    // The same run again, to a stopped worker: its 6,000 records reach the restarted worker in
    // one fetch (one partition, ~2 MB < the 4 MiB fetch), so one batch asks the store about
    // ~2,850 ids at once, past the 1,000 from which chDB reads them from a file (id-files.ts).
    const s = scenario('resend-perf');
    const topics = new TopicNames(s.prefix);
    await kafka.ensureTopics(topics.all(), 1);
    const topic = topics.of('capacity');
    const [lines, records] = [3_000, 6_000];
    const file = join(tempDir('perf-resend'), 'events.ndjson');
    writeFileSync(file, `${Array.from({ length: lines }, (_, n) => withSource(capacityJson(`facility-${n % 50}`, n), 'perf-resend')).join('\n')}\n`);
    const distinct = new Set(picksOf(lines, records)).size;
    const env = { KAFKA_BROKERS: brokers, HAIDANG_TOPIC_PREFIX: s.prefix, HAIDANG_GROUP: s.group, HAIDANG_DATA_DIR: s.dataDir, HAIDANG_PARTITIONS: '1' };
    const skipped = (log: string) =>
      log.split('\n').filter((l) => l.includes('already stored: skipped')).reduce((a, l) => a + (JSON.parse(l) as { duplicates: number }).duplicates, 0);
    for (const round of [1, 2]) {
      await runProducerPerformance({ brokers, topic, records, payloadFile: file, compression: 'zstd' });
      const svc = startHaidang(['stream'], env);
      await waitForLagZero(kafka, s.group, [topic]);
      svc.signal('SIGTERM');
      expect((await svc.exited).code).toBe(0);
      const [r] = await sql<{ n: string; u: string }>(s.dataDir, 'SELECT count() n, uniqExact(id) u FROM capacity_raw');
      expect([Number(r!.n), Number(r!.u)], `round ${round}`).toEqual([distinct, distinct]);
      // the second round's records are all resends of stored events, each counted as one
      if (round === 2) expect(skipped(svc.output())).toBe(records);
      process.stderr.write(`ProducerPerformance resend, round ${round}: ${records} sent, ${distinct} distinct, ${r!.n} stored, ${skipped(svc.output())} skipped as already stored\n`);
    }
  }, 300_000);

  it("what `haidang ingest --compression X` writes, kcat and Kafka's Java consumer read back, and the broker holds compressed", async () => {
    const events = 400;
    const sizes: Record<string, number> = {};
    const prefixes: Record<string, string> = {};
    const dir = tempDir('ingest-codecs');
    for (const codec of ['none', ...codecs]) {
      const s = scenario(`ingest-${codec}`);
      prefixes[codec] = s.prefix;
      const file = join(dir, `${codec}.ndjson`);
      writeFileSync(file, `${Array.from({ length: events }, (_, n) => withSource(capacityJson(`facility-${n % 5}`, n), `ingest-${codec}`)).join('\n')}\n`);
      const ingest = startHaidang(['ingest', '--rate', '0', '--replay', file, '--compression', codec], { KAFKA_BROKERS: brokers, HAIDANG_TOPIC_PREFIX: s.prefix, HAIDANG_PARTITIONS: '1' });
      expect((await ingest.exited).code, ingest.output().slice(-2000)).toBe(0);
      const read = await values(brokers, new TopicNames(s.prefix).of('capacity'));
      expect(countBy(read, sourceOf), codec).toEqual({ [`ingest-${codec}`]: events });
    }
    const topicList = Object.values(prefixes).map((p) => new TopicNames(p).of('capacity'));
    // Kafka's own Java consumer reads them too (its LZ4 and xerial-snappy readers are the strict ones)
    const include = topicList.map((t) => t.replace(/[.]/g, '\\.')).join('|');
    const consumed = await run('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), 'run-class', 'org.apache.kafka.tools.consumer.ConsoleConsumer', '--bootstrap-server', brokers, '--include', include, '--from-beginning', '--max-messages', String(events * topicList.length), '--timeout-ms', '60000'], { maxBuffer: 64 * 1024 * 1024 });
    expect(countBy(consumed.stdout.split('\n'), sourceOf)).toEqual(Object.fromEntries(Object.keys(prefixes).map((c) => [`ingest-${c}`, events])));
    // Kafka's own LogDirsCommand: the bytes each topic takes on the broker
    const { stdout } = await run('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), 'run-class', 'org.apache.kafka.tools.LogDirsCommand', '--bootstrap-server', brokers, '--describe', '--topic-list', topicList.join(',')], { maxBuffer: 16 * 1024 * 1024 });
    const report = JSON.parse(stdout.split('\n').find((l) => l.startsWith('{'))!) as { brokers: Array<{ logDirs: Array<{ partitions: Array<{ partition: string; size: number }> }> }> };
    for (const p of report.brokers.flatMap((b) => b.logDirs.flatMap((d) => d.partitions))) {
      const codec = Object.keys(prefixes).find((c) => p.partition.startsWith(new TopicNames(prefixes[c]!).of('capacity')))!;
      sizes[codec] = (sizes[codec] ?? 0) + p.size;
    }
    process.stderr.write(`bytes on the broker for ${events} events by codec: ${JSON.stringify(sizes)}\n`);
    for (const codec of codecs) expect(sizes[codec]!, codec).toBeLessThan(sizes.none! / 2);
  }, 300_000);
});
