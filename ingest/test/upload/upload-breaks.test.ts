import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlaces } from '../../../api/test/fixtures/test-api.ts';
import { startIngestApi, type IngestTestApi } from '../push/ingest-test-api.ts';

/**
 * What a tired clerk met when uploading (the tester's findings): an id twice in one file, a
 * strict upload with an id already stored, a file that breaks after rows were stored, percent
 * cells, a hidden first sheet, a zip entry the directory does not list, a form cut short, NFD
 * text in an XLSX, two files in one form. The server runs with small chunks (5 rows) and
 * limits (30 rows, 15 s: a parse worker starts slowly on a busy machine), so each case needs only a few rows.
 */
let t: IngestTestApi;
let key: string;
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));

beforeAll(async () => {
  t = await startIngestApi({
    upload: { batchRows: 5, maxRows: 30, timeoutMs: 15_000 },
    places: { ...testPlaces, projects: [{ id: 'da-1', name: { vi: 'Đường ngang Phường 1', en: 'Ward 1 cross street' }, wardCode: 'w1', planYear: 2022, capitalPlanVnd: 100_000_000_000 }, { id: 'da-2', name: { vi: 'Kè Phường 2', en: 'Ward 2 embankment' }, wardCode: 'w2', planYear: 2022, capitalPlanVnd: 300_000_000_000 }] } as typeof testPlaces,
  });
  key = await t.keyFor('phong-kinh-te', ['prices', 'capacity', 'disbursement'], ['m-1', 'm-2', 'f-a', 'da-1', 'da-2']);
});
afterAll(async () => t?.close());

const boundary = '----clerk';
const part = (name: string, content: Buffer | string, type = 'text/csv') => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`), Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from('\r\n')]);
const closing = Buffer.from(`--${boundary}--\r\n`);
const send = (stream: string, payload: Buffer | Readable, query = '', contentType = `multipart/form-data; boundary=${boundary}`) =>
  t.app.inject({ method: 'POST', url: `/ingest/v1/${stream}/upload${query}`, payload, headers: { 'content-type': contentType, authorization: `Bearer ${key}` } });
const upload = (stream: string, name: string, content: Buffer | string, query = '', type = 'text/csv') => send(stream, Buffer.concat([part(name, content, type), closing]), query);
const stored = (where: string) => t.count(`SELECT count() FROM prices_raw WHERE source = 'phong-kinh-te' AND ${where}`);

const priceHeader = 'Mã báo cáo,Chợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng)\n';
/** n good price rows of market m-2, a minute apart from 08:00 (UTC+7) on a day of August 2023 */
const priceRows = (day: number, n: number) => Array.from({ length: n }, (_, i) => `,m-2,${String(day).padStart(2, '0')}/08/2023 ${String(8 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},pork,kg,${90_000 + i}\n`).join('');

describe('ids in an upload', () => {
  it('an id twice in one file with other content: the second row refused naming its row and the id column; identical rows are duplicates', async () => {
    const id = '0191aaaa-0000-7000-8000-000000000001';
    const csv = `${priceHeader}${id},m-1,01/03/2022 07:00,pork,kg,95.000\n${id},m-1,01/03/2022 07:00,pork,kg,99.000\n`;
    const res = await upload('prices', 'dup-id.csv', csv);
    expect(res.statusCode, res.body).toBe(207);
    expect(res.json()).toMatchObject({ rows: 2, accepted: 1, duplicates: 0, refused: 1 });
    expect(res.json().errors).toEqual([{ row: 3, column: 'Mã báo cáo', value: id, reason: `id ${id} came earlier in this file (row 2) with other content; a correction needs a new id` }]);
    expect(await stored(`id = '${id}'`)).toBe(1);
    // the same row twice (no id column: the id comes from the content) is one report sent twice
    const same = await upload('prices', 'twice.csv', 'Chợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng)\nm-1,13/04/2022 07:00,pork,kg,95.000\nm-1,13/04/2022 07:00,pork,kg,95.000\n');
    expect(same.statusCode, same.body).toBe(202);
    expect(same.json()).toMatchObject({ rows: 2, accepted: 2, duplicates: 1, refused: 0 });
    expect(await stored("toDate(observed_at) = '2022-04-13'")).toBe(1);
  });

  it('an id stored with other content: refused with its spreadsheet row; under strict nothing of the file is stored', async () => {
    const id = '0191aaaa-0000-7000-8000-000000000002';
    expect((await upload('prices', 'first.csv', `${priceHeader}${id},m-1,02/03/2022 07:00,pork,kg,95.000\n`)).statusCode).toBe(202);
    const csv = `${priceHeader}0191aaaa-0000-7000-8000-000000000003,m-1,04/03/2022 07:00,rice,kg,15.000\n${id},m-1,04/03/2022 07:00,pork,kg,97.000\n`;
    const strict = await upload('prices', 'strict.csv', csv, '?strict=true');
    expect(strict.statusCode, strict.body).toBe(422);
    expect(strict.json()).toMatchObject({ accepted: 0, refused: 1, strict: true });
    expect(strict.json().errors).toEqual([{ row: 3, column: 'Mã báo cáo', value: id, reason: expect.stringMatching(/already stored with other content/) }]);
    expect(await stored("toDate(observed_at) = '2022-03-04'")).toBe(0);
    // without strict the good row is stored, and the refused one named by its row (not row 0)
    const loose = await upload('prices', 'loose.csv', csv);
    expect(loose.statusCode, loose.body).toBe(207);
    expect(loose.json()).toMatchObject({ accepted: 1, refused: 1, errors: [{ row: 3, column: 'Mã báo cáo', value: id }] });
    expect(await stored("toDate(observed_at) = '2022-03-04'")).toBe(1);
  });
});

describe('a file that fails part way', () => {
  /** the answer comes once every publish started has settled: what it counts is what the store holds, then and later */
  async function countedAsStored(res: { statusCode: number; json(): { accepted?: number; detail: string } }, where: string, accepted: number) {
    const atReply = await stored(where);
    expect(res.json().accepted).toBe(accepted);
    expect(atReply).toBe(accepted);
    await new Promise((ok) => setTimeout(ok, 300));
    expect(await stored(where)).toBe(accepted);
  }

  /**
   * A file sent in two pieces: the first (past the 64 KiB the encoding is chosen from) is read
   * and its chunks published; the rest, which breaks the file, comes once `ready` rows are stored.
   */
  async function inTwo(query: string, first: string, rest: string, where: string, ready: number) {
    let release!: () => void;
    const later = new Promise<void>((ok) => (release = ok));
    async function* body() {
      yield part('broken.csv', first).subarray(0, -2);
      await later;
      yield Buffer.concat([Buffer.from(rest), Buffer.from('\r\n'), closing]);
    }
    const sent = send('prices', Readable.from(body()), query);
    for (let i = 0; i < 400 && (await stored(where)) < ready; i++) await new Promise((ok) => setTimeout(ok, 25));
    release();
    return sent;
  }
  const titles = `BẢNG GIÁ ${'x'.repeat(40_000)}\nBẢNG GIÁ ${'y'.repeat(40_000)}\n`;

  it('a broken quote after rows were stored: 422 saying how many, and nothing lands after the reply', async () => {
    const where = "toDate(observed_at) = '2023-08-01'";
    const res = await inTwo('', `${titles}${priceHeader}${priceRows(1, 12)}`, ',m-2,01/08/2023 09:00,pork,kg,"95.000\n', where, 10);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().detail).toMatch(/^CSV: .*; 10 rows before it were accepted \(stored\), the rest of the file was not/);
    await countedAsStored(res, where, 10);
  });

  it('under strict, a file that breaks stores nothing', async () => {
    const csv = `${priceHeader}${priceRows(5, 12)},m-2,05/08/2023 09:00,pork,kg,"95.000\n`;
    const strict = await upload('prices', 'broken.csv', csv, '?strict=true');
    expect(strict.statusCode, strict.body).toBe(422);
    expect(strict.json().accepted ?? 0).toBe(0);
    await new Promise((ok) => setTimeout(ok, 300));
    expect(await stored("toDate(observed_at) = '2023-08-05'")).toBe(0);
    // strict with rows published nowhere, though read: the answer says nothing was stored
    const where = "toDate(observed_at) = '2023-08-06'";
    const late = await inTwo('?strict=true', `${titles}${priceHeader}${priceRows(6, 12)}`, ',m-2,06/08/2023 09:00,pork,kg,"95.000\n', where, 0);
    expect(late.statusCode, late.body).toBe(422);
    expect(late.json().detail).toMatch(/; nothing was stored$/);
    await countedAsStored(late, where, 0);
  });

  it('a too-wide row (413) and more rows than allowed (413), after rows were stored, say how many', async () => {
    const wideWhere = "toDate(observed_at) = '2023-08-02'";
    const wide = await inTwo('', `${titles}${priceHeader}${priceRows(2, 6)}`, `${'x,'.repeat(70)}\n`, wideWhere, 5);
    expect(wide.statusCode, wide.body).toBe(413);
    expect(wide.json().detail).toMatch(/columns > 64; 5 rows before it were accepted/);
    await countedAsStored(wide, wideWhere, 5);
    const manyWhere = "toDate(observed_at) = '2023-08-03'";
    // (the parser holds the last line of the first piece until the next byte: 25 rows are stored before the rest is sent)
    const many = await inTwo('', `${titles}${priceHeader}${priceRows(3, 30)}`, priceRows(3, 40).split('\n').slice(30).join('\n'), manyWhere, 25);
    expect(many.statusCode, many.body).toBe(413);
    expect(many.json().detail).toMatch(/more than 30 rows; (25|30) rows before it were accepted/);
    await countedAsStored(many, manyWhere, many.json().accepted);
  });

  it('a file not read within the time limit: 422 with the count of what was stored', async () => {
    let release!: () => void;
    const never = new Promise<void>((ok) => (release = ok));
    async function* body() {
      yield part('slow.csv', `${titles}${priceHeader}${priceRows(4, 7)}`).subarray(0, -2);
      await never;
    }
    const res = await send('prices', Readable.from(body()));
    release();
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'HD_INGEST_PARSE_TIMEOUT', accepted: 5 });
    await countedAsStored(res, "toDate(observed_at) = '2023-08-04'", 5);
  }, 60_000);
});

describe('XLSX as LibreOffice saves it', () => {
  it('a percent cell (52.5% is stored as 0.525) is read as the percentage; a percent cell in a column of amounts is refused naming it', async () => {
    const res = await upload('disbursement', 'giai-ngan.xlsx', fixture('giai-ngan-phan-tram.xlsx'), '', xlsxType);
    expect(res.statusCode, res.body).toBe(207);
    expect(res.json()).toMatchObject({ sheet: 'Tháng 8', otherSheets: [], headerRow: 2, rows: 3, accepted: 2, refused: 1 });
    expect(res.json().errors).toEqual([{ row: 5, column: 'Kế hoạch vốn năm (đồng)', value: '150%', reason: 'a percentage (or a cell formatted as one); this column holds a plain number' }]);
    const rows = await (await t.store.client.query({ query: "SELECT entity, physical_progress_pct p FROM disbursement_raw WHERE source = 'phong-kinh-te' ORDER BY entity", format: 'JSONEachRow' })).json<Record<string, unknown>>();
    expect(rows).toEqual([{ entity: 'da-1', p: 52.5 }, { entity: 'da-2', p: 31.25 }]);
    // a CSV with the percentage as Excel writes a percent cell into it reads the same
    const csv = 'Mã dự án,Ngày báo cáo,Năm kế hoạch,Tháng báo cáo,Kế hoạch vốn năm (đồng),Giải ngân trong tháng (đồng),Lũy kế giải ngân (đồng),Tiến độ thực hiện (%),Chậm tiến độ\nda-2,30/09/2022,2022,09/2022,300.000.000.000,1.000.000.000,55.000.000.000,"33,5%",không\n';
    const fromCsv = await upload('disbursement', 'giai-ngan.csv', csv);
    expect(fromCsv.json(), fromCsv.body).toMatchObject({ accepted: 1 });
    expect(await t.count("SELECT physical_progress_pct FROM disbursement_raw WHERE source = 'phong-kinh-te' AND month = '2022-09'")).toBe(33.5);
  });

  it('reads the sheet the workbook opens on, never a hidden one, and names it', async () => {
    const res = await upload('capacity', 'cong-suat.xlsx', fixture('cong-suat-nhieu-trang.xlsx'), '', xlsxType);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ sheet: 'Tháng 8', otherSheets: ['Cũ (hidden)', 'Ghi chú'], rows: 1, accepted: 1 });
    expect(await t.count("SELECT sum(beds_total) FROM capacity_raw WHERE source = 'phong-kinh-te'")).toBe(200);
  });

  it('text is normalised to NFC as a CSV\'s is: the same report in NFD and NFC is stored once', async () => {
    const res = await upload('prices', 'gia-nfd.xlsx', fixture('gia-cho-nfd.xlsx'), '', xlsxType);
    expect(res.statusCode, res.body).toBe(202);
    const units = await (await t.store.client.query({ query: "SELECT unit FROM prices_raw WHERE source = 'phong-kinh-te' AND toDate(observed_at) = '2022-08-10'", format: 'JSONEachRow' })).json<{ unit: string }>();
    expect(units).toEqual([{ unit: 'bó' }]);
    expect(units[0]!.unit).toBe('bó'.normalize('NFC'));
    const csv = await upload('prices', 'gia.csv', 'Chợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng)\nm-1,10/08/2022 07:00,Thịt heo,bó,15000\n');
    expect(csv.json()).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('refuses a zip entry the directory does not list (a smuggled bomb: 300 MiB of spaces), unread', async () => {
    const xlsx = fixture('gia-cho-nfd.xlsx');
    const data = deflateRawSync(Buffer.alloc(300 * 1024 * 1024, 0x20), { level: 9 });
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(300 * 1024 * 1024, 22); local.writeUInt16LE(name.length, 26);
    const hidden = Buffer.concat([local, name, data]);
    // the workbook after it, its directory's offsets moved by the hidden entry's length
    const shifted = Buffer.from(xlsx);
    const eocd = shifted.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const entries = shifted.readUInt16LE(eocd + 10);
    let p = shifted.readUInt32LE(eocd + 16);
    for (let n = 0; n < entries; n++) {
      shifted.writeUInt32LE(shifted.readUInt32LE(p + 42) + hidden.length, p + 42);
      p += 46 + shifted.readUInt16LE(p + 28) + shifted.readUInt16LE(p + 30) + shifted.readUInt16LE(p + 32);
    }
    shifted.writeUInt32LE(shifted.readUInt32LE(eocd + 16) + hidden.length, eocd + 16);
    const before = process.memoryUsage().rss;
    const res = await upload('prices', 'smuggled.xlsx', Buffer.concat([hidden, shifted]), '', xlsxType);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().detail).toMatch(/an entry its directory does not list/);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  }, 30_000);
});

describe('forms that cannot be read', () => {
  it('a body cut short, or without a boundary, is a 400 naming the body at once, never a wait or a 503', async () => {
    const csv = Buffer.from('Chợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng)\nm-1,05/03/2022 07:00,pork,kg,95.000\n');
    const whole = Buffer.concat([part('trunc.csv', csv), closing]);
    const cases: Array<[string, Buffer, string?]> = [
      ['no closing boundary', whole.subarray(0, whole.length - closing.length - 2)],
      ['cut in the file', whole.subarray(0, whole.length - 40)],
      ['cut in the part header', whole.subarray(0, 40)],
      ['no boundary at all', csv, 'multipart/form-data'],
    ];
    for (const [what, body, type] of cases) {
      const t0 = Date.now();
      const res = await send('prices', body, '', type);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
      expect(res.json(), what).toMatchObject({ code: 'HD_INGEST_BAD_REQUEST', errors: [{ field: 'body' }] });
      expect(Date.now() - t0, what).toBeLessThan(3_000);
    }
    expect(await stored("toDate(observed_at) = '2022-03-05'")).toBe(0);
  });

  it('a second file in the form is refused naming it, not dropped', async () => {
    const csv = (day: string) => `Chợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng)\nm-1,${day}/03/2022 07:00,pork,kg,95.000\n`;
    const body = Buffer.concat([part('a.csv', csv('06')), part('b.csv', csv('07')), closing]);
    const strict = await send('prices', body, '?strict=true');
    expect(strict.statusCode, strict.body).toBe(400);
    expect(strict.json()).toMatchObject({ accepted: 0, errors: [{ field: 'file', message: 'one file per upload; "b.csv" is a second' }] });
    expect(strict.json().detail).toMatch(/a second file \("b\.csv"\), which was not read.*nothing was stored/);
    expect(await stored("toDate(observed_at) IN ('2022-03-06', '2022-03-07')")).toBe(0);
  });
});
