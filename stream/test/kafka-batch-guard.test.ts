import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
// installs the codecs and the batch guard, as every process that creates a KafkaTransport does
import '../src/transport/kafka.ts';
import { undecodableBatch } from '../src/transport/kafka-batch-guard.ts';
import { codecs } from '../src/transport/kafka-codecs.ts';

/**
 * kafkajs' own fetch decoding (the code that reads a Fetch response's record set), fed record
 * batches as a broker sends them: the guard turns a batch kafkajs cannot decode into one
 * stand-in record at the batch's last offset, and the batches around it still arrive.
 */
const require = createRequire(import.meta.url);
const decodeMessages = require('kafkajs/src/protocol/requests/fetch/v4/decodeMessages') as (d: unknown) => Promise<Array<{ offset: string; value: Buffer | null; [undecodableBatch]?: { reason: string; firstOffset: string; lastOffset: string; message: string } }>>;
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;
const Long = require('kafkajs/src/utils/long') as { fromInt(n: number): unknown };
const types = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

async function batch(codec: keyof typeof types, firstOffset: number, values: string[]): Promise<Buffer> {
  const records = values.map((v, i) => Record({ offsetDelta: i, key: Buffer.from(`k${i}`), value: Buffer.from(v) }));
  const encoded = await RecordBatch({ compression: types[codec], firstOffset: Long.fromInt(firstOffset), lastOffsetDelta: values.length - 1, records });
  return encoded.buffer;
}

/** a Fetch response's record set: int32 size, then the batches back to back */
function recordSet(batches: Buffer[]): unknown {
  const body = Buffer.concat(batches);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return new Decoder(Buffer.concat([size, body]));
}

describe('a record batch kafkajs cannot decode', () => {
  it('every codec round-trips through kafkajs record batches', async () => {
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      const records = await decodeMessages(recordSet([await batch(codec, 10, ['a', 'b', 'c'])]));
      expect(records.map((r) => [r.offset, r.value?.toString()]), codec).toEqual([['10', 'a'], ['11', 'b'], ['12', 'c']]);
    }
  });

  it('becomes one stand-in at its last offset, with its reason and range, and the batches after it still arrive', async () => {
    const corrupt = await batch('zstd', 3, ['d', 'e', 'f']);
    corrupt.fill(0xff, 61, 66); // the compressed records begin after the 61-byte header and count
    const unknownCodec = await batch('none', 6, ['g', 'h']);
    unknownCodec.writeInt16BE(unknownCodec.readInt16BE(21) | 0x06, 21); // codec 6: not one Kafka defines
    const records = await decodeMessages(recordSet([await batch('gzip', 0, ['a', 'b', 'c']), corrupt, unknownCodec, await batch('lz4', 8, ['i', 'j'])]));
    expect(records.map((r) => r.offset)).toEqual(['0', '1', '2', '5', '7', '8', '9']);
    expect(records[3]![undecodableBatch]).toMatchObject({ reason: 'HD_BATCH_CORRUPT', firstOffset: '3', lastOffset: '5' });
    expect(records[3]![undecodableBatch]!.message).toMatch(/zstd/i);
    expect(records[3]!.value).toEqual(corrupt); // the batch as Kafka holds it, for the dead letter
    expect(records[4]![undecodableBatch]).toMatchObject({ reason: 'HD_BATCH_UNKNOWN_CODEC', firstOffset: '6', lastOffset: '7' });
    expect(records.filter((r) => !r[undecodableBatch]).map((r) => r.value?.toString())).toEqual(['a', 'b', 'c', 'i', 'j']);
  });

  it("reads snappy in the Java client's xerial framing as well as librdkafka's raw block", async () => {
    const text = Buffer.from('{"hello":"xerial"}'.repeat(100));
    const raw = await codecs.snappy.compress({ buffer: text });
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    const half = text.length / 2;
    const blocks = await Promise.all([text.subarray(0, half), text.subarray(half)].map((b) => codecs.snappy.compress({ buffer: b })));
    const framed = Buffer.concat([header, ...blocks.flatMap((b) => [Buffer.from([0, 0, (b.length >> 8) & 0xff, b.length & 0xff]), b])]);
    expect(await codecs.snappy.decompress(raw)).toEqual(text);
    expect(await codecs.snappy.decompress(framed)).toEqual(text);
  });
});
