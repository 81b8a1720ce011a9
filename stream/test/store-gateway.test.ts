import { describe, expect, it } from 'vitest';
import { cityHash128 } from '../src/store/gateway/cityhash128.ts';
import { decodeFrames, encodeFrames } from '../src/store/gateway/native-frames.ts';
import { nativeForProtocolClient } from '../src/store/gateway/native-revision.ts';
import { readStatement } from '../src/store/gateway/statement.ts';
import { decodeBody } from '../src/store/gateway/content-encoding.ts';

/** The pieces of `haidang store`'s HTTP interface that need no engine (tests/store-*.test.ts drive the whole). */
describe('CityHash128 v1.0.2, the checksum of ClickHouse’s compressed blocks', () => {
  // reference values from go-faster/city's _testdata/ch128.csv (MIT), which clickhouse-go checks blocks with
  const vectors: [string, string, string][] = [
    ['uM4', 'f567f556f5e83547', 'a5c90efc9fbfd1f4'],
    ['hgshOXeh', '3d827f87ef026cde', 'db3ea59195083762'],
    ['ikMYpqGCRNf8lu', '5c28ef61e44ca61c', '3cf4e536bb86eb23'],
    ['vG5lApCgvf0qHGSi0', '9b4e57c5f1bc0e44', '94238ef9d1584336'],
    ['TRui1uYvYrT7XUIOkO4U9P2nJo1In88pKBDrFhg6xZ', 'c23658ca1a24ae36', '7ed5932036c5d38d'],
    ['bM29Sx288zVqJdPohz8DgrGSyVE4IMv9FzK56y0aXahaYHuoJ2zCBSeDTWeqmz7QrWe6EHieaqbBWf7cF30qvxiR3O41WZdKiO6r2idaI0xT1atbKooQhE73Y0Az2qlfIPZ', 'a846ca6d84ad2f42', 'b8b46c0e88acb09d'],
  ];
  it.each(vectors)('%s', (s, lo, hi) => {
    const h = cityHash128(Buffer.from(s));
    expect(h.readBigUInt64LE(0).toString(16).padStart(16, '0')).toBe(lo);
    expect(h.readBigUInt64LE(8).toString(16).padStart(16, '0')).toBe(hi);
  });
});

describe('compress=1 framing', () => {
  it('round-trips LZ4 and ZSTD blocks over 1 MiB, and refuses a block whose checksum does not match', async () => {
    const data = Buffer.from(Array.from({ length: 200_000 }, (_, i) => `row ${i}\n`).join(''));
    for (const m of ['lz4', 'zstd'] as const) expect((await decodeFrames(await encodeFrames(data, m), true)).equals(data)).toBe(true);
    const framed = await encodeFrames(Buffer.from('hello'));
    framed[framed.length - 1]! ^= 1;
    await expect(decodeFrames(framed, true)).rejects.toMatchObject({ code: 271 });
  });
});

describe('request bodies', () => {
  it('decodes several LZ4 frames one after another, and refuses an unknown encoding with code 36', async () => {
    const { compressFrameSync } = await import('lz4-napi');
    const body = Buffer.concat([compressFrameSync(Buffer.from('a\n')), compressFrameSync(Buffer.from('b\n'))]);
    expect((await decodeBody(body, 'lz4', 1 << 20)).toString()).toBe('a\nb\n');
    await expect(decodeBody(Buffer.from('x'), 'compress', 1 << 20)).rejects.toMatchObject({ code: 36 });
  });
});

describe('bodies that decode to more than the gateway takes (the ninth round: 3.6 MB of gzip held 3.5 GiB)', () => {
  const zeros = Buffer.alloc(8 << 20);
  it.each(['gzip', 'deflate', 'br', 'zstd', 'lz4'])('%s: refused with 413 (369) before the memory is spent, and a body within the limit decodes', async (name) => {
    const { encodeAnswer } = await import('../src/store/gateway/content-encoding.ts');
    const packed = await encodeAnswer(zeros, name);
    await expect(decodeBody(packed, name, 1 << 20)).rejects.toMatchObject({ status: 413, code: 369 });
    expect((await decodeBody(packed, name, 16 << 20)).length).toBe(zeros.length);
  });
  it('a zstd frame whose header states a small size is bounded by its blocks, which are what gets decoded (the eleventh round)', async () => {
    const head = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x80, 0x38, 0, 0, 0x10, 0]); // content size: 1 MiB; window 128 KiB
    const rle = (last: boolean) => {
      const h = (131072 << 3) | (1 << 1) | (last ? 1 : 0);
      return Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x61]);
    };
    const frame = Buffer.concat([head, ...Array.from({ length: 16 }, (_, i) => rle(i === 15))]); // 2 MiB of 'a'
    await expect(decodeBody(frame, 'zstd', 1.5 * 1024 * 1024)).rejects.toMatchObject({ status: 413, code: 369 });
  });

  it('compress=1 blocks: their declared sizes count before any is decoded, and a corrupt block is 271, not a 5xx', async () => {
    const framed = await encodeFrames(zeros);
    await expect(decodeFrames(framed, false, 1 << 20)).rejects.toMatchObject({ status: 413, code: 369 });
    // a ZSTD block whose header claims 16 bytes while its frame holds 8 MiB (the tenth round: 4 GiB hung the store)
    const { compress } = await import('@mongodb-js/zstd');
    const frame = await compress(zeros, 1);
    const lying = Buffer.alloc(9 + frame.length);
    lying[0] = 0x90;
    lying.writeUInt32LE(9 + frame.length, 1);
    lying.writeUInt32LE(16, 5);
    frame.copy(lying, 9);
    await expect(decodeFrames(Buffer.concat([Buffer.alloc(16), lying]), false)).rejects.toMatchObject({ status: 400, code: 271 });
    const block = await encodeFrames(Buffer.from('hello hello hello hello'));
    block.fill(0xff, 16 + 9);
    await expect(decodeFrames(block, false)).rejects.toMatchObject({ status: 400, code: 271 });
  });
});

describe('one statement per request', () => {
  it('refuses a second statement but not a trailing semicolon or comment', () => {
    expect(readStatement('SELECT 1; SELECT 2').multi).toBe(true);
    expect(readStatement('SELECT 1;  -- done\n').multi).toBe(false);
    expect(readStatement("SELECT ';' AS s, `a;b` FROM t /* ; */").multi).toBe(false);
  });
  it('finds where an INSERT’s data starts, its format, and where FROM INFILE would go', () => {
    const q = 'INSERT INTO t (a, b) SETTINGS async_insert = 0 FORMAT TabSeparated\n1\t2\n';
    const st = readStatement(q);
    expect(st).toMatchObject({ kind: 'INSERT', format: 'TabSeparated', insertPrefix: 'INSERT INTO t (a, b) SETTINGS async_insert = 0 FORMAT TabSeparated' });
    expect(q.slice(st.dataStart)).toBe('1\t2\n');
    expect(q.slice(st.clauseStart, st.dataKeyword)).toBe('SETTINGS async_insert = 0 ');
    expect(readStatement('INSERT INTO t VALUES (1), (2)')).toMatchObject({ format: 'Values', insertPrefix: 'INSERT INTO t VALUES' });
    expect(readStatement('INSERT INTO t SELECT * FROM s FORMAT Native').dataStart).toBeUndefined();
    expect(readStatement('SELECT 1 FORMAT JSON').format).toBe('JSON');
  });
});

describe('Native for client_protocol_version clients', () => {
  it('puts a BlockInfo before each block and, from revision 54454, a serialization byte after each column’s type', () => {
    // one block, 2 rows: x UInt8 [1, 2], s Nullable(String) ['a', NULL], a Array(UInt16) [[7], []]
    const str = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s)]);
    const u64 = (n: number) => Buffer.from(new BigUint64Array([BigInt(n)]).buffer);
    const native = Buffer.concat([
      Buffer.from([3, 2]),
      str('x'), str('UInt8'), Buffer.from([1, 2]),
      str('s'), str('Nullable(String)'), Buffer.from([0, 1]), str('a'), str(''),
      str('a'), str('Array(UInt16)'), u64(1), u64(1), Buffer.from([7, 0]),
    ]);
    const info = Buffer.from([1, 0, 2, 0xff, 0xff, 0xff, 0xff, 0]);
    const out = nativeForProtocolClient(native, 54460);
    expect(out.subarray(0, 8).equals(info)).toBe(true);
    expect(out.length).toBe(native.length + 8 + 3);
    expect(nativeForProtocolClient(native, 54405).length).toBe(native.length + 8);
    // LowCardinality(String), 2 rows: keys version, one granule with 2 new keys and UInt8 indexes
    const lc = Buffer.concat([Buffer.from([1, 2]), str('c'), str('LowCardinality(String)'), u64(1), u64(1 << 9), u64(2), str('p'), str('q'), u64(2), Buffer.from([0, 1])]);
    expect(nativeForProtocolClient(lc, 54460).length).toBe(lc.length + 8 + 1);
    expect(() => nativeForProtocolClient(Buffer.concat([Buffer.from([1, 1]), str('j'), str('JSON'), Buffer.from([0])]), 54460)).toThrow(/not supported/);
  });
});

describe('where an INSERT’s data starts', () => {
  it('a table named values or format is a name, not the start of data', () => {
    expect(readStatement("INSERT INTO values SELECT * FROM file('/etc/hostname')").dataStart).toBeUndefined();
    expect(readStatement('INSERT INTO default.values SELECT 1').dataStart).toBeUndefined();
    expect(readStatement('INSERT INTO format SELECT 1').dataStart).toBeUndefined();
    expect(readStatement('INSERT INTO TABLE values (s) SELECT 1').dataStart).toBeUndefined();
    const st = readStatement('INSERT INTO values VALUES (1)');
    expect(st.insertPrefix).toBe('INSERT INTO values VALUES');
    expect(readStatement('INSERT INTO format FORMAT TSV\n1\n').insertPrefix).toBe('INSERT INTO format FORMAT TSV');
  });
});
