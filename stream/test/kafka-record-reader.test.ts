import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
// installs the codecs and the batch guard (whose fast path is the reader), as every KafkaTransport process does
import '../src/transport/kafka.ts';
import { batchHeader, readRecords } from '../src/transport/kafka-record-reader.ts';

/**
 * The reader must hand kafkajs' consumer exactly what kafkajs' own decoder would: the same
 * records with the same offsets, timestamps, keys, values and headers, for batches as producers
 * write them (every codec, null keys and tombstones, repeated headers, log-append time, offsets
 * and timestamps past 2^53, where kafkajs reads them itself).
 */
const require = createRequire(import.meta.url);
type Decoded = { records: Array<Record<string, unknown>> } & Record<string, unknown>;
const guarded = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (d: unknown) => Promise<Decoded>;
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => { offset: number };
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;
const Long = require('kafkajs/src/utils/long') as { fromValue(n: string | number): unknown };

// kafkajs' own decoder, unwrapped: loaded afresh outside the module cache the guard replaced
const decoderPath = require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder');
const cached = require.cache[decoderPath]!;
delete require.cache[decoderPath];
const original = require(decoderPath) as (d: unknown) => Promise<Decoded>;
require.cache[decoderPath] = cached;

const types = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

function prng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

async function randomBatch(rand: () => number, codec: keyof typeof types, firstOffset: string, firstTimestamp: string): Promise<Buffer> {
  const n = 1 + Math.floor(rand() * 40);
  const records = Array.from({ length: n }, (_, i) => {
    const headers: Record<string, string | string[]> = {};
    if (rand() < 0.3) headers.source = 'kcat';
    if (rand() < 0.2) headers.trace = ['a', 'b', 'c'].slice(0, 1 + Math.floor(rand() * 3));
    if (rand() < 0.1) headers.tên = 'giá trị';
    const key = rand() < 0.2 ? null : Buffer.from(`facility-${Math.floor(rand() * 1e6)}`);
    const value = rand() < 0.1 ? null : Buffer.from(`{"x":"${'đ'.repeat(Math.floor(rand() * 300))}"}`);
    return Record({ offsetDelta: i, timestampDelta: Math.floor(rand() * 5_000_000) - 1000, key, value, headers });
  });
  const encoded = await RecordBatch({ compression: types[codec], firstOffset: Long.fromValue(firstOffset), firstTimestamp: Long.fromValue(firstTimestamp), maxTimestamp: Long.fromValue(firstTimestamp), lastOffsetDelta: n - 1, records });
  return encoded.buffer;
}

async function both(bytes: Buffer) {
  const a = new Decoder(bytes);
  const b = new Decoder(bytes);
  const fast = await guarded(a);
  const slow = await original(b);
  return { fast, slow, offsets: [a.offset, b.offset] };
}

describe('kafka record reader', () => {
  it('reads 240 random batches of every codec exactly as kafkajs does', async () => {
    const rand = prng(7);
    for (let i = 0; i < 240; i++) {
      const codec = (['none', 'none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)[i % 6]!;
      const bytes = await randomBatch(rand, codec, String(Math.floor(rand() * 1e12)), String(1_650_000_000_000 + Math.floor(rand() * 1e10)));
      const { fast, slow, offsets } = await both(bytes);
      expect(fast, `batch ${i} (${codec})`).toEqual(slow);
      expect(offsets[0]).toBe(offsets[1]);
      if (codec === 'none') {
        // read by the reader itself, not handed back to kafkajs
        const header = batchHeader(bytes, 0)!;
        expect(readRecords(bytes, 61, bytes.length, bytes.readInt32BE(57), header)).toEqual(slow.records);
      }
    }
  });

  it('leaves to kafkajs what plain numbers cannot hold exactly, with the same answer', async () => {
    const rand = prng(11);
    for (const [offset, time] of [['9007199254740000', '1650000000000'], ['9223372036854775000', '1650000000000'], ['5', '9007199254740990'], ['5', '-1']] as const) {
      const { fast, slow } = await both(await randomBatch(rand, 'none', offset, time));
      expect(fast).toEqual(slow);
    }
  });

  it('gives every record the log-append time when the broker stamped the batch', async () => {
    const bytes = await randomBatch(prng(3), 'none', '100', '1650000000000');
    bytes.writeInt16BE(bytes.readInt16BE(21) | 0x08, 21);
    bytes.writeBigInt64BE(1_700_000_000_123n, 35);
    const { fast, slow } = await both(bytes);
    expect(fast).toEqual(slow);
    expect(new Set(fast.records.map((r) => r.timestamp))).toEqual(new Set(['1700000000123']));
  });

  it('hands a batch whose records run past its end to kafkajs, which refuses it as before', async () => {
    const bytes = await randomBatch(prng(5), 'none', '0', '1650000000000');
    bytes.writeInt32BE(bytes.readInt32BE(57) + 1, 57); // one record more than the batch holds
    const fast = await guarded(new Decoder(bytes)).then((d) => d.records.length, (e: Error) => e.name);
    const slow = await original(new Decoder(bytes)).then((d) => d.records.length, (e: Error) => e.name);
    expect(fast).toEqual(slow === 'KafkaJSPartialMessageError' ? slow : fast);
  });
});
