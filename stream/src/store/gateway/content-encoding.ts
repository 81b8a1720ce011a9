import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, deflate, gunzip, gzip, inflate } from 'node:zlib';
import { lz4, zstd } from '../../transport/native-codecs.ts';
import { HttpError } from './http-error.ts';

/**
 * HTTP `Content-Encoding` of request bodies and, with `enable_http_compression=1`, of
 * answers — the codecs ClickHouse's HTTP interface speaks. gzip, deflate and br come with
 * Node; zstd (@mongodb-js/zstd) and lz4 frames (lz4-napi) are prebuilt native packages that
 * run on Node 20, where node:zlib has no zstd yet.
 */
type Codec = { decode(b: Buffer, max: number): Promise<Buffer>; encode(b: Buffer): Promise<Buffer> };

/** a body that would decode to more than the gateway takes: refused before it is decoded (a few MB of gzip can hold GBs) */
class DecodedTooLarge extends Error {}
const zlibBounded =
  (f: (b: Buffer, o: { maxOutputLength: number }, cb: (e: Error | null, r: Buffer) => void) => void) =>
  (b: Buffer, max: number): Promise<Buffer> =>
    new Promise((ok, fail) => f(b, { maxOutputLength: max }, (e, r) => (e ? fail((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? new DecodedTooLarge() : e) : ok(r))));

const codecs: Record<string, Codec> = {
  gzip: { decode: zlibBounded(gunzip), encode: promisify(gzip) },
  'x-gzip': { decode: zlibBounded(gunzip), encode: promisify(gzip) },
  deflate: { decode: zlibBounded(inflate), encode: promisify(deflate) },
  br: { decode: zlibBounded(brotliDecompress), encode: promisify(brotliCompress) },
  zstd: {
    decode: async (b, max) => {
      if (zstdBound(b) > max) throw new DecodedTooLarge();
      return zstd().decompress(b);
    },
    encode: (b) => zstd().compress(b, 3),
  },
  lz4: { decode: decodeLz4Frames, encode: (b) => lz4().compressFrame(b) },
};

/**
 * The most a zstd body can decode to, read from its frames (RFC 8878) without decoding: the
 * sum over its blocks (a raw or RLE block's size, 128 KiB at most for a compressed one), not
 * the content size a header states, which the decoder checks only at the frame's end. Throws when it is not zstd or is cut short.
 */
export function zstdBound(b: Buffer): number {
  let total = 0;
  for (let at = 0; at < b.length; ) {
    if (at + 8 > b.length) throw new Error(`a zstd frame cut short at byte ${at}`);
    const magic = b.readUInt32LE(at);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      at += 8 + b.readUInt32LE(at + 4);
      continue;
    }
    if (magic !== 0xfd2fb528) throw new Error(`not a zstd frame at byte ${at}`);
    const fhd = b[at + 4]!;
    const single = (fhd >> 5) & 1;
    const fcsSize = [single, 2, 4, 8][fhd >> 6]!;
    let p = at + 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3]!;
    if (p + fcsSize > b.length) throw new Error('a zstd frame header cut short');
    p += fcsSize;
    let blocks = 0;
    for (let last = 0; !last; ) {
      if (p + 3 > b.length) throw new Error('a zstd block cut short');
      const h = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16);
      last = h & 1;
      const type = (h >> 1) & 3;
      const size = h >>> 3;
      blocks += type === 2 ? 128 * 1024 : size;
      p += 3 + (type === 1 ? 1 : size);
    }
    // a stated content size is only checked once the frame is decoded: the blocks are what is decoded (the eleventh round: a frame stating 1 MiB held 1 GiB)
    total += blocks;
    at = p + ((fhd >> 2) & 1 ? 4 : 0);
  }
  return total;
}

/**
 * lz4-napi decodes one LZ4 frame; clients such as clickhouse-connect send a body as many
 * frames one after another, so the body is cut at frame ends (LZ4 frame format: header,
 * blocks each with a 4-byte size, an end mark, optional checksums) and each is decoded.
 */
async function decodeLz4Frames(body: Buffer, max: number): Promise<Buffer> {
  const out: Buffer[] = [];
  let at = 0;
  let decoded = 0;
  while (at < body.length) {
    const magic = body.readUInt32LE(at);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      at += 8 + body.readUInt32LE(at + 4); // skippable frame
      continue;
    }
    if (magic !== 0x184d2204) throw new Error(`not an LZ4 frame at byte ${at}`);
    const flg = body[at + 4]!;
    // each block decodes to at most the frame's block size (its BD byte: 64 KiB to 4 MiB)
    const blockMax = 1 << (2 * ((body[at + 5]! >> 4) & 7) + 8);
    let p = at + 6 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0) + 1;
    for (;;) {
      const size = body.readUInt32LE(p);
      p += 4;
      if (size === 0) break;
      decoded += blockMax;
      if (decoded > max) throw new DecodedTooLarge();
      p += (size & 0x7fffffff) + (flg & 0x10 ? 4 : 0);
    }
    if (flg & 0x04) p += 4;
    out.push(await lz4().decompressFrame(body.subarray(at, p)));
    at = p;
  }
  return Buffer.concat(out);
}

/** the request body as the client meant it; an encoding we do not know is refused (ClickHouse: code 36) */
export async function decodeBody(body: Buffer, contentEncoding: string | undefined, max: number): Promise<Buffer> {
  const names = (contentEncoding ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s && s !== 'identity' && s !== 'none');
  let out = body;
  // applied in the order given, so undone in reverse
  for (const name of names.reverse()) {
    const codec = codecs[name];
    if (!codec) throw new HttpError(400, 36, `Unknown HTTP compression method '${name}' (BAD_ARGUMENTS)`);
    try {
      out = await codec.decode(out, max);
    } catch (e) {
      if (e instanceof DecodedTooLarge) throw new HttpError(413, 369, `The request body would be over ${max} bytes once decoded as ${name} (QUERY_IS_TOO_LARGE)`);
      throw new HttpError(400, 271, `Cannot decompress the request body as ${name}: ${(e as Error).message} (CANNOT_DECOMPRESS)`);
    }
  }
  return out;
}

/** the first codec in the client's Accept-Encoding that we can write */
export function answerEncoding(acceptEncoding: string | undefined): string | undefined {
  return (acceptEncoding ?? '')
    .split(',')
    .map((s) => s.split(';')[0]!.trim().toLowerCase())
    .find((n) => n in codecs);
}

export function encodeAnswer(body: Buffer, encoding: string): Promise<Buffer> {
  return codecs[encoding]!.encode(body);
}
