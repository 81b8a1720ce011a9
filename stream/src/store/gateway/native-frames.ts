import { lz4, zstd } from '../../transport/native-codecs.ts';
import { cityHash128 } from './cityhash128.ts';
import { zstdBound } from './content-encoding.ts';
import { HttpError } from './http-error.ts';

/**
 * ClickHouse's own compression framing, which its HTTP interface uses for `decompress=1`
 * (the request body) and `compress=1` (the answer) — clickhouse-go's and clickhouse-jdbc's
 * LZ4/ZSTD compression. A body is a run of blocks:
 *
 *   checksum (16 bytes, CityHash128 v1.0.2 of the rest of the block)
 *   method (1 byte: 0x82 LZ4, 0x90 ZSTD, 0x02 none)
 *   compressed size (UInt32 LE, these 9 header bytes included) · uncompressed size (UInt32 LE)
 *   compressed data
 */
const LZ4 = 0x82;
const ZSTD = 0x90;
const NONE = 0x02;
const HEADER = 9;

function refuse(message: string): never {
  throw new HttpError(400, 271, `${message} (CANNOT_DECOMPRESS)`);
}

export async function decodeFrames(body: Buffer, verify: boolean, max = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const parts: Buffer[] = [];
  let at = 0;
  let decoded = 0;
  while (at < body.length) {
    if (body.length - at < 16 + HEADER) refuse('Cannot decompress: the last block is cut short');
    const sum = body.subarray(at, at + 16);
    const method = body[at + 16]!;
    const size = body.readUInt32LE(at + 17);
    const raw = body.readUInt32LE(at + 21);
    if (size < HEADER || at + 16 + size > body.length) refuse(`Cannot decompress: a block of ${size} bytes runs past the body`);
    const block = body.subarray(at + 16, at + 16 + size);
    if (verify && !cityHash128(block).equals(sum)) refuse('Checksum doesn\'t match: corrupted data');
    const data = block.subarray(HEADER);
    // a block's header says what it decodes to: the body's total is known before anything is decoded
    decoded += raw;
    if (decoded > max) throw new HttpError(413, 369, `The request body would be over ${max} bytes once its blocks are decompressed (QUERY_IS_TOO_LARGE)`);
    let out!: Buffer;
    try {
      if (method === LZ4) {
        const sized = Buffer.allocUnsafe(4 + data.length);
        sized.writeUInt32LE(raw, 0);
        data.copy(sized, 4);
        out = lz4().uncompressSync(sized);
      } else if (method === ZSTD) {
        // the header's size is a claim: the zstd frame itself says what it decodes to (a 134 KB
        // request claiming 16 bytes held 4 GiB of RLE blocks, and the decoder died with it)
        // (the bound counts a compressed block as 128 KiB, its most: a frame's last block may be shorter)
        if (zstdBound(data) > raw + 128 * 1024) refuse(`Cannot decompress: a block's zstd frame would decode past the ${raw} bytes its header says`);
        out = await zstd().decompress(Buffer.from(data));
      }
      else if (method === NONE) out = Buffer.from(data);
    } catch (e) {
      if (e instanceof HttpError) throw e;
      refuse(`Cannot decompress a block: ${(e as Error).message}`);
    }
    if (method !== LZ4 && method !== ZSTD && method !== NONE) refuse(`Unknown compression method: ${method}`);
    if (out.length !== raw) refuse(`Cannot decompress: block gave ${out.length} bytes, its header says ${raw}`);
    parts.push(out);
    at += 16 + size;
  }
  return Buffer.concat(parts);
}

/** the answer in blocks of at most 1 MiB (ClickHouse's max_compress_block_size), LZ4 unless asked for ZSTD */
export async function encodeFrames(body: Buffer, method: 'lz4' | 'zstd' = 'lz4'): Promise<Buffer> {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += 1 << 20) {
    const raw = body.subarray(at, Math.min(body.length, at + (1 << 20)));
    const data = method === 'zstd' ? await zstd().compress(Buffer.from(raw), 1) : lz4().compressSync(raw).subarray(4);
    const block = Buffer.allocUnsafe(HEADER + data.length);
    block[0] = method === 'zstd' ? ZSTD : LZ4;
    block.writeUInt32LE(HEADER + data.length, 1);
    block.writeUInt32LE(raw.length, 5);
    data.copy(block, HEADER);
    out.push(cityHash128(block), block);
  }
  return Buffer.concat(out);
}
