import { createRequire } from 'node:module';
import { batchHeader, readRecords } from './kafka-record-reader.ts';
import type { UndecodableBatch } from './transport.ts';

/**
 * A record batch kafkajs cannot decode must not wedge its partition. kafkajs decodes a whole
 * fetch response at once and throws on the first batch it cannot read (a codec it lacks, a
 * compressed payload that does not decompress, records that do not parse); the error reaches
 * the consumer's run loop without a topic, partition or offset, kafkajs retries the same fetch,
 * then crashes, and every later event on that partition — and every partition in the same
 * fetch — waits behind it. kafkajs offers no hook to skip such a batch (and has had no release
 * since 2023, so its internals stand still).
 *
 * So the one function that decodes a record batch (kafkajs/src/protocol/recordBatch/v0/decoder)
 * is wrapped: on a batch it cannot decode, the wrapper returns that batch as a single stand-in
 * record at the batch's last offset, carrying the reason, the offset range and the batch's
 * bytes. The consumer hands it over like any record, the processor dead-letters it with its
 * offset range, the offset after it is committed, and the partition moves on. Batch
 * boundaries come from the batch header, which the broker validated on produce.
 *
 * A whole batch is first read by kafka-record-reader.ts (kafkajs' shape at a third of its CPU);
 * what that reader leaves goes to kafkajs' decoder, guarded as above.
 * stream/test/kafka-batch-guard.test.ts drives kafkajs' own fetch decoding with real record
 * batches, so a kafkajs that changed these internals fails there.
 */

/** property of the stand-in record that names what it stands for */
export const undecodableBatch = Symbol.for('haidang.undecodableBatch');

/** bytes of a stand-in's batch kept for the dead letter (its base64 must fit one Kafka message) */
const maxKeptBatchBytes = 256 * 1024;

const knownCodecs = 4; // none, gzip, snappy, lz4, zstd = 0…4

interface KafkajsDecoder {
  buffer: Buffer;
  offset: number;
}
type BatchDecoder = (decoder: KafkajsDecoder) => Promise<{ records: unknown[] } & Record<string, unknown>>;

const require = createRequire(import.meta.url);
const decoderPath = require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder');
const fetchDecodePath = require.resolve('kafkajs/src/protocol/requests/fetch/v4/decodeMessages');
const { lookupCodecByAttributes } = require('kafkajs/src/protocol/message/compression') as { lookupCodecByAttributes(attributes: number): { decompress(b: Buffer): Promise<Buffer> } | null };

/**
 * A whole batch's records read by kafka-record-reader.ts (decompressed first with the codec
 * kafkajs would use), or undefined for kafkajs' own decoder to read it (and fail on it, if it
 * must, where the guard below catches it).
 */
async function readWhole(buffer: Buffer, start: number, length: number): Promise<{ records: unknown[] } & Record<string, unknown> | undefined> {
  if (length < 49) return undefined;
  const header = batchHeader(buffer, start);
  if (!header) return undefined;
  const end = start + 12 + length;
  const count = buffer.readInt32BE(start + 57);
  const attributes = buffer.readInt16BE(start + 21);
  if (!(attributes & 0x07)) {
    const records = readRecords(buffer, start + 61, end, count, header);
    return records && { ...header, records };
  }
  if (count <= 0) return { ...header, records: [] };
  let plain: Buffer | undefined;
  try {
    // kafkajs throws for a codec it has none registered for: its own decoder says so again below
    plain = await lookupCodecByAttributes(attributes)?.decompress(buffer.subarray(start + 61, end));
  } catch {
    return undefined;
  }
  const records = plain && readRecords(plain, 0, plain.length, count, header);
  return records && { ...header, records };
}

let installed = false;

/** the stand-in for one batch: a record kafkajs' consumer passes on like any other */
function standIn(buffer: Buffer, start: number, length: number, reason: UndecodableBatch['reason'], message: string) {
  const firstOffset = buffer.readBigInt64BE(start);
  const lastOffsetDelta = buffer.readInt32BE(start + 23);
  const firstTimestamp = buffer.length >= start + 35 ? buffer.readBigInt64BE(start + 27).toString() : '0';
  const lastOffset = (firstOffset + BigInt(Math.max(0, lastOffsetDelta))).toString();
  const end = Math.min(buffer.length, start + 12 + length);
  const bytes = end - start <= maxKeptBatchBytes ? Buffer.from(buffer.subarray(start, end)) : null;
  const batchContext = { firstOffset: firstOffset.toString(), firstTimestamp, inTransaction: false, isControlBatch: false, lastOffsetDelta, producerId: '-1', producerEpoch: -1, firstSequence: -1, maxTimestamp: firstTimestamp, timestampType: 0, partitionLeaderEpoch: -1, magicByte: 2 };
  const info: UndecodableBatch = { reason, firstOffset: firstOffset.toString(), lastOffset, message: message.slice(0, 500) };
  const record = { magicByte: 2, attributes: 0, timestamp: firstTimestamp, offset: lastOffset, key: null, value: bytes, headers: {}, isControlRecord: false, batchContext, [undecodableBatch]: info };
  return { ...batchContext, records: [record] };
}

/** Wraps kafkajs' record-batch decoder once per process; call before the first fetch. */
export function installBatchGuard(): void {
  if (installed) return;
  if (require.cache[fetchDecodePath]) {
    // the fetch decoder already holds the unwrapped function: guarding now would do nothing
    throw new Error('kafka batch guard: kafkajs fetched before the guard was installed');
  }
  const original = require(decoderPath) as BatchDecoder;
  const guarded: BatchDecoder = async (decoder) => {
    const { buffer } = decoder;
    const start = decoder.offset;
    // header: firstOffset int64 · length int32 · leaderEpoch int32 · magic int8 · crc int32 · attributes int16 · lastOffsetDelta int32
    const length = buffer.length >= start + 27 ? buffer.readInt32BE(start + 8) : -1;
    const whole = length >= 0 && buffer.length >= start + 12 + length;
    if (whole && length >= 15) {
      const codec = buffer.readInt16BE(start + 21) & 0x07;
      if (codec > knownCodecs) {
        decoder.offset = start + 12 + length;
        return standIn(buffer, start, length, 'HD_BATCH_UNKNOWN_CODEC', `compression codec ${codec} is not one Kafka defines (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)`);
      }
    }
    if (whole) {
      const read = await readWhole(buffer, start, length);
      if (read) {
        decoder.offset = start + 12 + length;
        return read;
      }
    }
    try {
      return await original(decoder);
    } catch (e) {
      // a batch cut short by the fetch size limit: kafkajs stops there and fetches it again
      if ((e as Error).name === 'KafkaJSPartialMessageError' || !whole) throw e;
      decoder.offset = start + 12 + length;
      // kafkajs' word for a codec it has none for (what it throws for snappy, lz4 and zstd unregistered)
      const reason = (e as Error).name === 'KafkaJSNotImplemented' ? 'HD_BATCH_UNKNOWN_CODEC' : 'HD_BATCH_CORRUPT';
      return standIn(buffer, start, length, reason, `${(e as Error).name}: ${(e as Error).message}`);
    }
  };
  require.cache[decoderPath]!.exports = guarded;
  installed = true;
}
