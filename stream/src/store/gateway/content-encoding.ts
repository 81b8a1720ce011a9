import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, deflate, gunzip, gzip, inflate } from 'node:zlib';
import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';
import { compressFrame, decompressFrame } from 'lz4-napi';
import { HttpError } from './http-error.ts';

/**
 * HTTP `Content-Encoding` of request bodies and, with `enable_http_compression=1`, of
 * answers — the codecs ClickHouse's HTTP interface speaks. gzip, deflate and br come with
 * Node; zstd (@mongodb-js/zstd) and lz4 frames (lz4-napi) are prebuilt native packages that
 * run on Node 20, where node:zlib has no zstd yet.
 */
type Codec = { decode(b: Buffer): Promise<Buffer>; encode(b: Buffer): Promise<Buffer> };

const codecs: Record<string, Codec> = {
  gzip: { decode: promisify(gunzip), encode: promisify(gzip) },
  'x-gzip': { decode: promisify(gunzip), encode: promisify(gzip) },
  deflate: { decode: promisify(inflate), encode: promisify(deflate) },
  br: { decode: promisify(brotliDecompress), encode: promisify(brotliCompress) },
  zstd: { decode: (b) => zstdDecompress(b), encode: (b) => zstdCompress(b, 3) },
  lz4: { decode: decodeLz4Frames, encode: (b) => compressFrame(b) },
};

/**
 * lz4-napi decodes one LZ4 frame; clients such as clickhouse-connect send a body as many
 * frames one after another, so the body is cut at frame ends (LZ4 frame format: header,
 * blocks each with a 4-byte size, an end mark, optional checksums) and each is decoded.
 */
async function decodeLz4Frames(body: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const magic = body.readUInt32LE(at);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      at += 8 + body.readUInt32LE(at + 4); // skippable frame
      continue;
    }
    if (magic !== 0x184d2204) throw new Error(`not an LZ4 frame at byte ${at}`);
    const flg = body[at + 4]!;
    let p = at + 6 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0) + 1;
    for (;;) {
      const size = body.readUInt32LE(p);
      p += 4;
      if (size === 0) break;
      p += (size & 0x7fffffff) + (flg & 0x10 ? 4 : 0);
    }
    if (flg & 0x04) p += 4;
    out.push(await decompressFrame(body.subarray(at, p)));
    at = p;
  }
  return Buffer.concat(out);
}

/** the request body as the client meant it; an encoding we do not know is refused (ClickHouse: code 36) */
export async function decodeBody(body: Buffer, contentEncoding: string | undefined): Promise<Buffer> {
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
      out = await codec.decode(out);
    } catch (e) {
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
