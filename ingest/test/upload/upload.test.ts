import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import writeXlsxFile from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngestApi, type IngestTestApi } from '../push/ingest-test-api.ts';

let t: IngestTestApi;
let key: string;
beforeAll(async () => {
  t = await startIngestApi();
  key = await t.keyFor('so-cong-thuong', ['prices', 'capacity', 'dossiers'], ['m-1', 'm-2', 'f-a', 'ag-1']);
});
afterAll(async () => t?.close());

/** a multipart/form-data body with one file field, as a browser or curl sends it */
function form(name: string, content: Buffer | string, type = 'text/csv', fields: Record<string, string> = {}) {
  const boundary = `----haidang${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    ...Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${key}` } };
}
const upload = (stream: string, f: ReturnType<typeof form>, query = '') => t.app.inject({ method: 'POST', url: `/ingest/v1/${stream}/upload${query}`, ...f });

describe('file upload', () => {
  it('reads a CSV with a BOM, Vietnamese headers, numbers and dates; reports each bad row; stores the good', async () => {
    const csv = '\ufeffChợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng),Thiếu hàng,Ghi chú\n' +
      'm-1,01/09/2022 07:30,Thịt heo,kg,95.000,không,\n' +
      'm-2,01/09/2022,pork,,"1.234,0",có,giá tăng\n' +
      'm-1,31/02/2022,pork,kg,95.000,,\n' +
      'm-1,02/09/2022,pork,kg,,,\n' +
      'm-9,02/09/2022,pork,kg,90.000,,\n' +
      'm-1,03/09/2022,pork,kg,"12,5",,\n';
    const res = await upload('prices', form('gia-cho.csv', csv));
    expect(res.statusCode).toBe(207);
    const r = res.json();
    expect(r).toMatchObject({ rows: 6, accepted: 2, refused: 4, ignoredColumns: ['Ghi chú'] });
    expect(r.errors).toEqual([
      { row: 4, column: 'Ngày báo cáo', value: '31/02/2022', reason: 'no such date or time' },
      { row: 5, column: 'Giá (đồng)', value: '', reason: 'required: the cell is empty' },
      { row: 6, column: 'Chợ', value: 'm-9', reason: 'this API key may not report for "m-9"' },
      { row: 7, column: 'Giá (đồng)', value: '12,5', reason: 'must be a whole number' },
    ]);
    const rows = await (await t.store.client.query({ query: "SELECT entity, toString(observed_at) t, price_vnd p, shortage s, commodity, unit FROM prices_raw WHERE source = 'so-cong-thuong' ORDER BY entity", format: 'JSONEachRow' })).json<Record<string, unknown>>();
    expect(rows).toMatchObject([
      { entity: 'm-1', t: '2022-09-01 00:30:00.000', p: 95000, commodity: 'pork', unit: 'kg' },
      { entity: 'm-2', t: '2022-08-31 17:00:00.000', p: 1234, commodity: 'pork', unit: 'kg' },
    ]);
    // the same file again is the same reports: stored once
    const again = await upload('prices', form('gia-cho.csv', csv));
    expect(again.json()).toMatchObject({ accepted: 2, duplicates: 2 });
    expect(await t.count("SELECT count() FROM prices_raw WHERE source = 'so-cong-thuong'")).toBe(2);
  });

  it('a key revoked during an upload stops it at the next chunk: 401, and nothing sent after the revocation is stored (the ninth round)', async () => {
    const own = await t.keyFor('revoked-mid-upload', ['prices'], ['m-1']);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/sources/keys', headers: { cookie: t.admin } });
    const keyId = list.json().keys.find((k: { keyId: string }) => own.includes(k.keyId)).keyId as string;
    const day = (i: number) => new Date(Date.UTC(2021, 0, 1) + i * 60_000).toISOString();
    const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => `m-1,${day(from + i)},pork,kg,${90_000 + ((from + i) % 1000)}\n`).join('');
    const boundary = '----haidang-revoke';
    let release!: () => void;
    const revoked = new Promise<void>((ok) => (release = ok));
    async function* body() {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\nContent-Type: text/csv\r\n\r\nmarket,observedAt,commodity,unit,priceVnd\n${rows(0, 12_000)}`);
      await revoked;
      yield Buffer.from(`${rows(12_000, 12_000)}\r\n--${boundary}--\r\n`);
    }
    const { Readable } = await import('node:stream');
    const sent = t.app.inject({ method: 'POST', url: '/ingest/v1/prices/upload', payload: Readable.from(body()), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${own}` } });
    const stored = () => t.count("SELECT count() FROM prices_raw WHERE source = 'revoked-mid-upload'");
    for (let i = 0; i < 400 && (await stored()) === 0; i++) await new Promise((ok) => setTimeout(ok, 25));
    expect(await stored()).toBeGreaterThan(0);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/sources/keys/${keyId}`, headers: { cookie: t.admin } })).statusCode).toBe(200);
    release();
    const res = await sent;
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json().detail).toMatch(/revoked during the upload/);
    expect(await stored()).toBeLessThanOrEqual(12_000);
  });

  it('strict mode stores nothing unless every row is good', async () => {
    const csv = 'market,observedAt,commodity,unit,priceVnd\nm-1,05/09/2022,pork,kg,90.000\nm-1,06/09/2022,pork,kg,chín mươi\n';
    const res = await upload('prices', form('strict.csv', csv), '?strict=true');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ accepted: 0, refused: 1, strict: true });
    expect(await t.count("SELECT count() FROM prices_raw WHERE toDate(observed_at) >= '2022-09-04'")).toBe(0);
  });

  it('says clearly what is wrong with an empty file, a file without data rows or with missing columns', async () => {
    const empty = await upload('prices', form('empty.csv', ''));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toMatch(/empty/);
    expect((await upload('prices', form('bom-only.csv', '\ufeff'))).statusCode).toBe(400);
    expect((await upload('prices', form('header.csv', 'Chợ,Ngày báo cáo,Mặt hàng,Giá (đồng)\n'))).json().detail).toMatch(/no data rows/);
    const missing = await upload('prices', form('missing.csv', 'Chợ,Mặt hàng\nm-1,pork\n'));
    expect(missing.statusCode).toBe(422);
    expect(missing.json().detail).toMatch(/missing columns: Ngày báo cáo, Giá \(đồng\)/);
    expect((await upload('prices', form('report.pdf', '%PDF', 'application/pdf'))).statusCode).toBe(415);
  });

  it('reads an XLSX report (text, number and date cells)', async () => {
    const rows = [
      ['Cơ quan', 'Ngày báo cáo', 'Số hồ sơ tiếp nhận', 'Trực tuyến', 'Đã giải quyết', 'Đúng hạn', 'Trễ hạn', 'Thanh toán trực tuyến'].map((value) => ({ value })),
      [{ value: 'ag-1' }, { value: new Date(Date.UTC(2022, 7, 15, 17, 0)), type: Date, format: 'dd/mm/yyyy hh:mm' }, { value: 120, type: Number }, { value: '66' }, { value: 100, type: Number }, { value: 95, type: Number }, { value: 5, type: Number }, { value: 40, type: Number }],
      [{ value: 'ag-1' }, { value: '16/08/2022' }, { value: 10, type: Number }, { value: 20, type: Number }, { value: 0, type: Number }, { value: 0, type: Number }, { value: 0, type: Number }, { value: 0, type: Number }],
    ];
    const xlsx = await writeXlsxFile(rows as never, {}).toBuffer();
    const res = await upload('dossiers', form('tthc.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'));
    expect(res.json()).toMatchObject({ rows: 2, accepted: 1, refused: 1, errors: [{ row: 3, column: 'Trực tuyến', value: '20', reason: 'must not exceed received (20 > 10)' }] });
    const [stored] = await (await t.store.client.query({ query: "SELECT toString(observed_at) t, received, received_online FROM dossiers_raw WHERE entity = 'ag-1'", format: 'JSONEachRow' })).json<Record<string, unknown>>();
    expect(stored).toEqual({ t: '2022-08-15 10:00:00.000', received: 120, received_online: 66 });
    // the templates are valid reports themselves (headers and example), in both formats
    const tpl = await t.app.inject({ method: 'GET', url: '/ingest/v1/capacity/template.xlsx' });
    expect(tpl.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/ingest/v1/capacity/template.csv' })).body).toMatch(/^\ufeffCơ sở,Ngày báo cáo,Tầng,Tổng số giường/);
  });

  it('refuses a zip bomb XLSX without inflating it', async () => {
    // one entry that declares 1 KiB but inflates to 200 MiB of zeros; another archive that declares 4 GiB
    const bomb = deflateRawSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });
    const zip = (data: Buffer, declared: number) => {
      const name = Buffer.from('xl/worksheets/sheet1.xml');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
      local.writeUInt32LE(data.length, 18); local.writeUInt32LE(declared, 22); local.writeUInt16LE(name.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
      central.writeUInt32LE(data.length, 20); central.writeUInt32LE(declared, 24); central.writeUInt16LE(name.length, 28); central.writeUInt32LE(0, 42);
      const dirOffset = 30 + name.length + data.length;
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10); end.writeUInt32LE(46 + name.length, 12); end.writeUInt32LE(dirOffset, 16);
      return Buffer.concat([local, name, data, central, name, end]);
    };
    const before = process.memoryUsage().rss;
    const lying = await upload('dossiers', form('bomb.xlsx', zip(bomb, 1024)));
    expect(lying.statusCode).toBe(413);
    expect(lying.json().detail).toMatch(/inflates beyond its declared 1024 bytes/);
    const honest = await upload('dossiers', form('bomb2.xlsx', zip(bomb, 0xfffffff0)));
    expect(honest.statusCode).toBe(413);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it('streams a 100,000-row CSV and reports its time and memory', async () => {
    const start = Date.UTC(2022, 0, 1);
    const lines = ['Cơ sở;Ngày báo cáo;Tầng;Tổng số giường;Giường đang sử dụng;Giường oxy;Giường oxy đang sử dụng;Thở oxy mask;Thở HFNC;Thở máy không xâm nhập;Thở máy xâm nhập;ECMO;Giường hồi sức;Giường hồi sức đang sử dụng;Máy thở;Máy thở đang sử dụng;Oxy tồn kho (lít)'];
    for (let i = 0; i < 100_000; i++) {
      const d = new Date(start + i * 60_000);
      const when = `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
      lines.push(`f-a;${when};2;1.200;${i % 1000};300;${i % 300};10;5;2;1;0;40;${i % 40};30;${i % 30};"12.345,5"`);
    }
    const csv = Buffer.from(lines.join('\r\n'));
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    const res = await upload('capacity', form('big.csv', csv));
    const ms = performance.now() - t0;
    clearInterval(sampler);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ rows: 100_000, accepted: 100_000, refused: 0 });
    expect(await t.count("SELECT count() FROM capacity_raw WHERE entity = 'f-a' AND source = 'so-cong-thuong'")).toBe(100_000);
    console.log(`100,000-row CSV (${(csv.length / 1e6).toFixed(1)} MB): ${Math.round(ms)} ms, ${Math.round(100_000 / (ms / 1000))} rows/s, peak RSS ${Math.round(peak / 1024 / 1024)} MiB`);
  }, 300_000);
});

/**
 * Files as Vietnamese offices make them (ingest/test/upload/fixtures, written by
 * make-fixtures.py with XlsxWriter, Python's csv module in Excel's dialect and glibc iconv):
 * title rows above the header, empty rows, a totals row and notes below the table,
 * Windows-1258 and Excel "Unicode Text" (UTF-16LE with a BOM).
 */
describe('uploads as offices make them', () => {
  const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));
  let officeKey: string;
  beforeAll(async () => {
    officeKey = await t.keyFor('so-y-te-bc', ['capacity', 'vaccination', 'prices'], ['f-a', 'f-b', 'f-c', 'w1', 'w2', 'm-1', 'm-2']);
  });
  const send = (stream: string, name: string, content: Buffer, fields: Record<string, string> = {}, type = 'text/csv') => {
    const f = form(name, content, type, fields);
    return upload(stream, { ...f, headers: { ...f.headers, authorization: `Bearer ${officeKey}` } });
  };

  it('XLSX: finds the header below merged title rows, numbers rows as Excel does, skips and lists the totals row and notes', async () => {
    const res = await send('capacity', 'bao-cao-giuong-benh.xlsx', fixture('bao-cao-giuong-benh.xlsx'), {}, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.statusCode).toBe(207);
    const r = res.json();
    expect(r).toMatchObject({ headerRow: 5, rows: 3, accepted: 2, refused: 1, ignoredColumns: ['STT', 'Ghi chú'] });
    // row 9 in Excel (row 8 is empty), not the 3rd data row nor row 4 of the table
    expect(r.errors).toEqual([{ row: 9, column: 'Giường đang sử dụng', value: '120', reason: 'must not exceed bedsTotal (120 > 100)' }]);
    expect(r.skipped.map((s: { row: number; reason: string }) => [s.row, s.reason.split(/[ :(]/)[0]])).toEqual([
      [1, 'title'], [2, 'title'], [3, 'title'], [10, 'totals'], [12, 'a'], [13, 'a'], [16, 'a'],
    ]);
    expect(r.skipped[0].text).toBe('SỞ Y TẾ TỈNH BÀ RỊA - VŨNG TÀU');
    expect(r.skipped[3].reason).toMatch(/^totals row \("Tổng cộng"\)/);
    expect(r.skipped[4].reason).toMatch(/a note/);
    const rows = await (await t.store.client.query({ query: "SELECT entity, toString(observed_at) t, beds_total b, oxygen_stock_litres o FROM capacity_raw WHERE source = 'so-y-te-bc' ORDER BY entity", format: 'JSONEachRow' })).json<Record<string, unknown>>();
    expect(rows).toEqual([
      { entity: 'f-a', t: '2022-08-15 00:00:00.000', b: 200, o: 120000 },
      { entity: 'f-b', t: '2022-08-15 00:00:00.000', b: 50, o: 45000.5 },
    ]);
  });

  it('Windows-1258 CSV (Excel "CSV" on a Vietnamese Windows): detected, tone marks composed (NFC), empty rows keep the numbering', async () => {
    const bytes = fixture('gia-cho-windows-1258.csv');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const res = await send('prices', 'gia-cho.csv', bytes);
    expect(res.statusCode).toBe(207);
    const r = res.json();
    expect(r).toMatchObject({ encoding: 'windows-1258 (not valid UTF-8)', headerRow: 4, rows: 3, accepted: 2, refused: 1, ignoredColumns: ['Ghi chú'] });
    expect(r.errors).toEqual([{ row: 8, column: 'Giá (đồng)', value: '97,5', reason: 'must be a whole number' }]);
    // NFC: "Ở" is one code point again (Windows-1258 wrote "Ơ" + a combining hook)
    expect(r.skipped[0]).toEqual({ row: 1, reason: 'title above the header row', text: 'SỞ CÔNG THƯƠNG TỈNH BÀ RỊA - VŨNG TÀU' });
    expect(r.skipped.map((s: { row: number }) => s.row)).toEqual([1, 2, 10, 11]);
    expect(r.skipped[2].text).toBe('Ghi chú: giá bán lẻ bình quân, đơn vị đồng');
    expect(await t.count("SELECT count() FROM prices_raw WHERE source = 'so-y-te-bc' AND commodity = 'pork' AND unit = 'kg'")).toBe(2);
    // the same file with the encoding named by the form field: the same report, nothing stored twice
    const named = await send('prices', 'gia-cho.csv', bytes, { encoding: 'windows-1258' });
    expect(named.json()).toMatchObject({ encoding: 'windows-1258 (form field)', accepted: 2, duplicates: 2, errors: r.errors });
    // an encoding this does not read is the client's mistake, named
    const unknown = await send('prices', 'gia-cho.csv', bytes, { encoding: 'tcvn3' });
    expect(unknown.statusCode).toBe(415);
    expect(unknown.json().errors).toEqual([{ field: 'encoding', message: 'one of utf-8, windows-1258, utf-16le, utf-16be' }]);
  });

  it('Excel "Unicode Text" (UTF-16LE with a BOM, tab separated): decoded; the totals row "Cộng" skipped; a count beyond UInt32 refused naming its column', async () => {
    const res = await send('vaccination', 'tiem-chung.txt', fixture('tiem-chung-unicode-text.txt'), {}, 'text/plain');
    expect(res.statusCode).toBe(207);
    const r = res.json();
    expect(r).toMatchObject({ encoding: 'utf-16le (byte order mark)', headerRow: 3, rows: 3, accepted: 2, refused: 1 });
    expect(r.errors).toEqual([{ row: 6, column: 'Số liều', value: '4.294.967.297', reason: 'must be at most 4,294,967,295 (a UInt32 column)' }]);
    expect(r.skipped.map((s: { row: number; reason: string }) => `${s.row} ${s.reason.split(' ')[0]}`)).toEqual(['1 title', '2 title', '7 totals']);
    expect(r.skipped[2].text).toBe('Cộng | 4.294.969.527');
    expect(await t.count("SELECT sum(doses) FROM vaccination_raw WHERE source = 'so-y-te-bc'")).toBe(2230);
  });

  it('an empty line or a title row does not shift the row numbers of a UTF-8 CSV', async () => {
    const csv = 'BẢNG GIÁ CHỢ\n\nChợ,Ngày báo cáo,Mặt hàng,Giá (đồng)\n\nm-1,20/08/2022,pork,96.000\n\n\nm-1,21/08/2022,pork,abc\nTổng cộng,,,96.000\n';
    const r = (await send('prices', 'gia.csv', Buffer.from(csv))).json();
    expect(r).toMatchObject({ encoding: 'utf-8 (valid UTF-8)', headerRow: 3, rows: 2, accepted: 1, refused: 1 });
    expect(r.errors).toEqual([{ row: 8, column: 'Giá (đồng)', value: 'abc', reason: expect.stringMatching(/^not a number/) }]);
    expect(r.skipped.map((s: { row: number }) => s.row)).toEqual([1, 9]);
  });

  it('a byte that is not UTF-8 after the first 64 KiB (read as UTF-8) refuses its row, naming the column, instead of storing mojibake', async () => {
    const long = `BẢNG GIÁ ${'x'.repeat(40_000)}\n`;
    const csv = Buffer.concat([
      Buffer.from(`${long}${long}Chợ,Ngày báo cáo,Mặt hàng,Giá (đồng)\nm-1,22/08/2022,pork,96.000\nm-1,23/08/2022,`),
      Buffer.from([0x54, 0x68, 0xf2, 0x74]), // "Th", a lone Windows-1258 byte, "t"
      Buffer.from(',96.000\n'),
    ]);
    const r = (await send('prices', 'gia.csv', csv)).json();
    expect(r).toMatchObject({ encoding: 'utf-8 (valid UTF-8)', headerRow: 3, rows: 2, accepted: 1, refused: 1 });
    expect(r.errors).toEqual([{ row: 5, column: 'Mặt hàng', value: 'Th\ufffdt', reason: expect.stringMatching(/^bytes that are not utf-8: .*encoding=windows-1258/) }]);
  });

  it('odd bytes and odd forms get a 4xx naming what is wrong, never a 5xx', async () => {
    const header = 'Chợ,Ngày báo cáo,Mặt hàng,Giá (đồng)\r\n';
    const cases: Array<[string, Buffer, Record<string, string>]> = [
      ['a UTF-16LE BOM alone', Buffer.from([0xff, 0xfe]), {}],
      ['UTF-16LE with an odd byte count', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(header, 'utf16le'), Buffer.from([0x41])]), {}],
      ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(`${header}m-1,24/08/2022,pork,96.000\r\n`, 'utf16le').swap16()]), {}],
      ['UTF-8 named utf-16le', Buffer.from(`${header}m-1,24/08/2022,pork,96.000\r\n`), { encoding: 'utf-16le' }],
      ['random bytes', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)), {}],
      ['NUL bytes', Buffer.alloc(3000), {}],
      ['only title rows', Buffer.from('BÁO CÁO\r\nSỞ Y TẾ\r\n'), {}],
    ];
    for (const [name, bytes, fields] of cases) {
      const res = await send('prices', 'odd.csv', bytes, fields);
      expect(res.statusCode, `${name}: ${res.body}`).toBeLessThan(500);
      if (process.env.SHOW_ODD) console.log(name, res.statusCode, res.body.slice(0, 300));
      if (res.statusCode >= 400) expect(res.json().detail, name).toBeTruthy();
    }
    // UTF-16BE is read (its BOM decides)
    expect((await send('prices', 'be.csv', cases[2]![1])).json()).toMatchObject({ encoding: 'utf-16be (byte order mark)', accepted: 1 });
  });

  it('says which row comes closest when no row is a full header', async () => {
    const res = await send('prices', 'gia.csv', Buffer.from('BẢNG GIÁ\nChợ,Mặt hàng\nm-1,pork\n'));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/no header row in the file with every required column: row 2 comes closest, with missing columns: Ngày báo cáo, Giá \(đồng\)/);
    // the header is looked for in the first 30 rows, empty ones included: a file of blank lines is not read to its end
    const late = await send('prices', 'late.csv', Buffer.from(`${'\n'.repeat(40)}Chợ,Ngày báo cáo,Mặt hàng,Giá (đồng)\nm-1,25/08/2022,pork,96.000\n`));
    expect(late.statusCode).toBe(422);
    expect(late.json().detail).toMatch(/^no header row in the first 30 rows/);
  });
});
