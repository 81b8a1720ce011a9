/**
 * Insert throughput through `haidang store` with each compression a client may send: the same
 * 1,000,000 rows as one TabSeparated body, plain and with every Content-Encoding, and as
 * Native in ClickHouse's compress framing (decompress=1, as clickhouse-go and clickhouse-jdbc
 * send it). The body is compressed before the clock starts: the figure is what the store does
 * (decode, parse, write), one run each, on a fresh table.
 *
 *   npx tsx bench/store-insert.ts [rows]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { compress as zstd } from '@mongodb-js/zstd';
import { compressFrameSync } from 'lz4-napi';
import pino from 'pino';
import { startGateway } from '@haidang/stream';
import { encodeFrames } from '../stream/src/store/gateway/native-frames.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'haidang-bench-store-'));
const gw = await startGateway({ dataDir: dir, host: '127.0.0.1', port: 0, username: 'bench', password: 'bench', logger: pino({ level: 'warn' }) });
const auth = { Authorization: `Basic ${Buffer.from('bench:bench').toString('base64')}` };
const post = async (q: string, body: Buffer | string, headers: Record<string, string> = {}) => {
  const r = await fetch(`${gw.url}/?${q}`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { ...auth, ...headers } });
  const text = await r.text();
  if (r.status !== 200) throw new Error(text);
  return { text, summary: JSON.parse(r.headers.get('x-clickhouse-summary') ?? '{}') as Record<string, string> };
};
const table = 'id UInt64, source LowCardinality(String), at DateTime64(3, \'UTC\'), value Float64, note String';
const tsv = Buffer.from(Array.from({ length: rows }, (_, i) => `${i}\tsensor-${i % 50}\t2026-01-02 03:04:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}\t${(i % 997) / 7}\tnote ${i}\n`).join(''));
await post('', `CREATE TABLE src (${table}) ENGINE = MergeTree ORDER BY id`);
await post('query=INSERT%20INTO%20src%20FORMAT%20TabSeparated', tsv);
const native = Buffer.from(await (await fetch(`${gw.url}/?query=SELECT%20*%20FROM%20src%20ORDER%20BY%20id%20FORMAT%20Native`, { headers: auth })).arrayBuffer());

const cases: [string, string, Buffer, Record<string, string>][] = [
  ['TabSeparated, no compression', 'TabSeparated', tsv, {}],
  ['TabSeparated, gzip', 'TabSeparated', gzipSync(tsv), { 'Content-Encoding': 'gzip' }],
  ['TabSeparated, deflate', 'TabSeparated', deflateSync(tsv), { 'Content-Encoding': 'deflate' }],
  ['TabSeparated, br', 'TabSeparated', brotliCompressSync(tsv), { 'Content-Encoding': 'br' }],
  ['TabSeparated, zstd', 'TabSeparated', await zstd(tsv, 3), { 'Content-Encoding': 'zstd' }],
  ['TabSeparated, lz4', 'TabSeparated', compressFrameSync(tsv), { 'Content-Encoding': 'lz4' }],
  ['Native, no compression', 'Native', native, {}],
  ['Native, decompress=1 LZ4', 'Native', await encodeFrames(native, 'lz4'), {}],
  ['Native, decompress=1 ZSTD', 'Native', await encodeFrames(native, 'zstd'), {}],
];
console.log(`| body | bytes sent | rows/s |`);
console.log(`| --- | ---: | ---: |`);
let n = 0;
for (const [name, format, body, headers] of cases) {
  const t = `t${n++}`;
  await post('', `CREATE TABLE ${t} (${table}) ENGINE = MergeTree ORDER BY id`);
  const framed = name.includes('decompress=1') ? '&decompress=1' : '';
  const t0 = performance.now();
  const r = await post(`query=INSERT%20INTO%20${t}%20FORMAT%20${format}${framed}`, body, headers);
  const s = (performance.now() - t0) / 1000;
  const written = Number(r.summary.written_rows);
  const stored = Number((await post('', `SELECT count() FROM ${t}`)).text);
  if (written !== rows || stored !== rows) throw new Error(`${name}: ${written} written, ${stored} stored`);
  console.log(`| ${name} | ${body.length.toLocaleString('en')} | ${Math.round(rows / s).toLocaleString('en')} |`);
}
await gw.close();
rmSync(dir, { recursive: true, force: true });
