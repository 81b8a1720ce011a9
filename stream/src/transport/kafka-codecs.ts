import { gzip as gzipCallback, unzip as unzipCallback } from 'node:zlib';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import { lz4, snappy, zstd } from './native-codecs.ts';
import type { KafkaCompression } from './kafka-compression.ts';

/**
 * The four codecs Kafka knows, for every kafkajs client Hải Đăng creates (kafkajs itself
 * reads gzip only and throws KafkaJSNotImplemented on the rest, for a whole fetch).
 * All three are napi-rs builds (loaded on first use: native-codecs.ts) whose prebuilt binaries come from the npm registry as
 * optional packages (no compiler, no download from elsewhere at install), on Node ≥ 10/18:
 *  - snappy: `snappy` (napi-rs, Rust snap). Kafka's Java client writes snappy in xerial
 *    framing, librdkafka writes a raw block: both are read; we write a raw block as librdkafka
 *    does (the Java client's SnappyInputStream reads that too).
 *  - lz4: `lz4-napi` (lz4_flex): the LZ4 *frame* format Kafka uses since message format 1
 *    (independent blocks, as Kafka's KafkaLZ4BlockOutputStream writes).
 *  - zstd: `@mongodb-js/zstd` 1.x (the MongoDB driver's; 2.x and later fetch binaries from
 *    GitHub at install, which a registry-only CI cannot).
 */
const { CompressionCodecs, CompressionTypes } = kafkajs;

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const gzip = promisify(gzipCallback);
const unzip = promisify(unzipCallback);

/** snappy-java's stream header: 0x82 "SNAPPY" 0x00, then version and compatible version (int32 each) */
const xerialMagic = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const xerialHeaderBytes = 16;

async function snappyDecompress(buffer: Buffer): Promise<Buffer> {
  if (buffer.length < xerialHeaderBytes || !buffer.subarray(0, xerialMagic.length).equals(xerialMagic)) {
    return (await snappy().uncompress(buffer)) as Buffer;
  }
  // xerial framing: [int32 length][raw snappy block], repeated
  const blocks: Buffer[] = [];
  let at = xerialHeaderBytes;
  while (at < buffer.length) {
    if (at + 4 > buffer.length) throw new Error('snappy: truncated xerial block length');
    const length = buffer.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > buffer.length) throw new Error(`snappy: xerial block of ${length} bytes runs past the batch`);
    blocks.push((await snappy().uncompress(buffer.subarray(at, at + length))) as Buffer);
    at += length;
  }
  return Buffer.concat(blocks);
}

export const codecs: Record<Exclude<KafkaCompression, 'none'>, Codec> = {
  gzip: { compress: (e) => gzip(e.buffer), decompress: (b) => unzip(b) },
  snappy: { compress: (e) => snappy().compress(e.buffer), decompress: snappyDecompress },
  lz4: { compress: (e) => lz4().compressFrame(e.buffer), decompress: (b) => lz4().decompressFrame(b) },
  zstd: { compress: (e) => zstd().compress(e.buffer, 3), decompress: (b) => zstd().decompress(b) },
};

/** kafkajs' number for each setting (what a producer passes as `compression`) */
export const compressionType: Record<KafkaCompression, number> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

let registered = false;

/** Puts the codecs into kafkajs' process-wide table; every KafkaTransport calls it, once is enough. */
export function registerKafkaCodecs(): void {
  if (registered) return;
  const table = CompressionCodecs as unknown as Record<number, () => Codec>;
  table[CompressionTypes.GZIP] = () => codecs.gzip;
  table[CompressionTypes.Snappy] = () => codecs.snappy;
  table[CompressionTypes.LZ4] = () => codecs.lz4;
  table[CompressionTypes.ZSTD] = () => codecs.zstd;
  registered = true;
}
