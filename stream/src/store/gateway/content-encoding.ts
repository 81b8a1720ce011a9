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
  lz4: { decode: (b) => decompressFrame(b), encode: (b) => compressFrame(b) },
};

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
