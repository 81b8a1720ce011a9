/**
 * What a worker spends decoding the records of a fetch, before any of our code sees them:
 * kafkajs' own record-batch decoder against the one the transport installs
 * (stream/src/transport/kafka-record-reader.ts), on the same fetch response — the bench's
 * capacity events in record batches of ~16 KiB, as kafkajs and the Java producer write them —
 * read through kafkajs' fetch decoding and its `Batch` (what the consumer hands to a handler).
 * CPU of this process per record, rounds alternated.
 *   npx tsx bench/kafka-decode.ts [--records 16000] [--rounds 6] [--codec none|gzip|lz4|zstd|snappy]
 * Prints one JSON line and a readable line.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import '../stream/src/transport/kafka.ts';
import { capacityEvent } from './bench-events.ts';

const { values: args } = parseArgs({ options: { records: { type: 'string', default: '16000' }, rounds: { type: 'string', default: '6' }, codec: { type: 'string', default: 'none' } } });
const require = createRequire(import.meta.url);
type Decoded = { records: unknown[] };
const decoderPath = require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder');
const guarded = require(decoderPath) as (d: unknown) => Promise<Decoded>;
// kafkajs' decoder as it ships, loaded outside the module cache the guard replaced
const cached = require.cache[decoderPath]!;
delete require.cache[decoderPath];
const original = require(decoderPath) as (d: unknown) => Promise<Decoded>;
require.cache[decoderPath] = cached;
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => { canReadBytes(n: number): boolean };
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;
const Batch = require('kafkajs/src/consumer/batch') as new (topic: string, fetched: string, data: object) => { messages: unknown[] };
const Long = require('kafkajs/src/utils/long') as { fromValue(n: number): unknown };
const codecs = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

const total = Number(args.records);
const codec = codecs[args.codec as keyof typeof codecs];
const batches: Buffer[] = [];
for (let off = 0; off < total; ) {
  const records: unknown[] = [];
  let bytes = 0;
  const now = Date.now();
  while (bytes < 16_384 && off + records.length < total) {
    const e = capacityEvent(off + records.length);
    bytes += e.value.length;
    records.push(Record({ offsetDelta: records.length, timestampDelta: records.length, key: Buffer.from(e.key), value: Buffer.from(e.value) }));
  }
  batches.push((await RecordBatch({ compression: codec, firstOffset: Long.fromValue(1_000_000 + off), firstTimestamp: now, maxTimestamp: now, lastOffsetDelta: records.length - 1, records })).buffer);
  off += records.length;
}
const recordSet = Buffer.concat(batches);

/** the fetch decoding kafkajs does for one partition (decodeMessages), then its Batch */
async function fetchOnce(decode: (d: unknown) => Promise<Decoded>): Promise<number> {
  const decoder = new Decoder(recordSet);
  const messages: unknown[] = [];
  while (decoder.canReadBytes(49)) messages.push(...(await decode(decoder)).records);
  return new Batch('capacity', '1000000', { partition: 0, highWatermark: String(1_000_000 + total), messages, abortedTransactions: [] }).messages.length;
}

async function cpuPerRecord(decode: (d: unknown) => Promise<Decoded>, times: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < times; i++) if ((await fetchOnce(decode)) !== total) throw new Error('records lost in decoding');
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (times * total);
}

const rounds = Number(args.rounds);
const repeat = Math.max(1, Math.round(400_000 / total));
await cpuPerRecord(original, repeat);
await cpuPerRecord(guarded, repeat);
const kafkajs: number[] = [];
const reader: number[] = [];
for (let r = 0; r < rounds; r++) {
  kafkajs.push(await cpuPerRecord(original, repeat));
  reader.push(await cpuPerRecord(guarded, repeat));
  process.stderr.write(`[kafka-decode] round ${r + 1}/${rounds}: kafkajs ${kafkajs.at(-1)!.toFixed(3)} µs, reader ${reader.at(-1)!.toFixed(3)} µs a record\n`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const result = { bench: 'kafka-decode', codec: args.codec, records: total, batches: batches.length, kafkajsUsPerRecord: median(kafkajs), readerUsPerRecord: median(reader), rounds: { kafkajs, reader } };
console.log(JSON.stringify(result));
console.log(`kafka record decode (${args.codec}, ${total} records in ${batches.length} batches, fetch decoding and Batch included): kafkajs ${result.kafkajsUsPerRecord.toFixed(3)} µs, the transport's reader ${result.readerUsPerRecord.toFixed(3)} µs of CPU a record (median of ${rounds} rounds)`);
