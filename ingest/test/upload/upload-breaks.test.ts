import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlaces } from '../../../api/test/fixtures/test-api.ts';
import { guardXlsx } from '../../src/upload/xlsx-guard.ts';
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
/** the same report columns without the id column: ids come from the content */
const contentIdHeader = 'Chợ,Ngày báo cáo,Mặt hàng,Đơn vị,Giá (đồng)\n';
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
    const csv = `${priceHeader}0191aaaa-0000-7000-8000-000000000003,m-1,04/03/2022 07:30,pork,kg,96.000\n${id},m-1,04/03/2022 07:00,pork,kg,97.000\n`;
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

describe('numbers and commodities as a clerk writes them', () => {
  it('a price grouped with commas as an English-language Excel saves it is refused with both readings, never stored a thousand times too low; a name without tone marks finds its commodity; an unknown one is refused naming the pack\'s', async () => {
    const csv = contentIdHeader +
      'm-1,12/08/2022 07:00,Thịt heo,kg,"95,000"\n' +
      'm-1,12/08/2022 07:05,pork,kg,"1,234,567"\n' +
      'm-1,12/08/2022 07:10,thit heo,,95.000\n' +
      'm-1,12/08/2022 07:15,Thịt bò,kg,250.000\n';
    const res = await upload('prices', 'gia-en-us.csv', csv);
    expect(res.statusCode, res.body).toBe(207);
    expect(res.json()).toMatchObject({ rows: 4, accepted: 1, refused: 3 });
    expect(res.json().errors).toEqual([
      { row: 2, column: 'Giá (đồng)', value: '95,000', reason: 'ambiguous: a decimal comma reads it as 95, an English-language file means 95000; write 95.000 (or 95000), or 95' },
      { row: 3, column: 'Giá (đồng)', value: '1,234,567', reason: 'an English-language number: write 1.234.567 (or 1234567)' },
      { row: 5, column: 'Mặt hàng', value: 'Thịt bò', reason: 'unknown commodity "Thịt bò": the city pack lists pork (Thịt heo)' },
    ]);
    expect(await stored("toDate(observed_at) = '2022-08-12'")).toBe(1);
    expect(await stored("toDate(observed_at) = '2022-08-12' AND commodity = 'pork' AND unit = 'kg' AND price_vnd = 95000")).toBe(1);
  });

  it('đồng written around a price, an id in capitals, a leading zero: each read as meant, never 1,000 times off (the attacker\'s F3, F5, F6)', async () => {
    const csv = contentIdHeader +
      'm-1,13/08/2022 07:00,pork,kg,95.000 VNĐ\n' +
      'm-1,13/08/2022 07:05,PORK,kg,₫96.000\n' +
      'm-1,13/08/2022 07:10,Pork,kg,97.000 đ/kg\n' +
      'm-1,13/08/2022 07:15,pork,kg,0.500\n';
    const res = await upload('prices', 'gia-kieu-khac.csv', csv);
    expect(res.statusCode, res.body).toBe(207);
    // "0.500" cannot be grouped thousands (no group starts with 0): half a đồng, not 500
    expect(res.json().errors).toEqual([{ row: 5, column: 'Giá (đồng)', value: '0.500', reason: 'must be a whole number' }]);
    const prices = await (await t.store.client.query({ query: "SELECT price_vnd p FROM prices_raw WHERE source = 'phong-kinh-te' AND toDate(observed_at) = '2022-08-13' ORDER BY p", format: 'JSONEachRow' })).json<{ p: number }>();
    expect(prices.map((r) => Number(r.p))).toEqual([95_000, 96_000, 97_000]);
  });

});

describe('two strict uploads at the same instant', () => {
  it('the same ids with other content: one file is stored whole, the other refused whole with every row named, never half of each', async () => {
    const id = (i: number) => `0191cccc-0000-7000-8000-${String(i).padStart(12, '0')}`;
    const file = (price: number) => `${priceHeader}${Array.from({ length: 12 }, (_, i) => `${id(i)},m-1,20/03/2022 07:${String(i).padStart(2, '0')},pork,kg,${price + i}\n`).join('')}`;
    const [a, b] = await Promise.all([upload('prices', 'a.csv', file(90_000), '?strict=true'), upload('prices', 'b.csv', file(80_000), '?strict=true')]);
    const answers = [a, b].map((r) => ({ status: r.statusCode, ...r.json() }));
    expect(answers.map((r) => r.status).sort(), JSON.stringify(answers)).toEqual([202, 422]);
    const refused = answers.find((r) => r.status === 422)!;
    expect(refused).toMatchObject({ accepted: 0, refused: 12 });
    expect(refused.strictNotHeld).toBeUndefined();
    expect(refused.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual(Array.from({ length: 12 }, (_, i) => [i + 2, 'Mã báo cáo']));
    const prices = await (await t.store.client.query({ query: "SELECT price_vnd p FROM prices_raw WHERE source = 'phong-kinh-te' AND toDate(observed_at) = '2022-03-20' ORDER BY p", format: 'JSONEachRow' })).json<{ p: number }>();
    const base = answers[0]!.status === 202 ? 90_000 : 80_000;
    expect(prices.map((r) => Number(r.p))).toEqual(Array.from({ length: 12 }, (_, i) => base + i));
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

/** a plain zip (deflate) of these parts: a hostile workbook built by hand from a real one's parts */
function zipOf(files: Map<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [n, content] of files) {
    const name = Buffer.from(n);
    const data = deflateRawSync(content);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(8, 8);
    head.writeUInt32LE(crc32(content), 14); head.writeUInt32LE(data.length, 18); head.writeUInt32LE(content.length, 22); head.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc32(content), 16); dir.writeUInt32LE(data.length, 20); dir.writeUInt32LE(content.length, 24); dir.writeUInt16LE(name.length, 28); dir.writeUInt32LE(offset, 42);
    locals.push(head, name, data);
    central.push(dir, name);
    offset += 30 + name.length + data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.size, 8); end.writeUInt16LE(files.size, 10); end.writeUInt32LE(dirBytes.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}

/** the parts of a workbook LibreOffice saved (`Cũ` hidden, `Tháng 8` the active tab, `Ghi chú`), to edit */
function partsOf(fixtureName: string): Map<string, Buffer> {
  const g = guardXlsx(fixture(fixtureName), { maxEntries: 100, maxInflatedBytes: 10_000_000 });
  const names = ['_rels/.rels', 'xl/workbook.xml', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet3.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', '[Content_Types].xml'];
  return new Map(names.map((n) => [n, g.read(n)!]));
}
const edited = (parts: Map<string, Buffer>, name: string, edit: (xml: string) => string) => new Map([...parts, [name, Buffer.from(edit(parts.get(name)!.toString('utf8')))]]);

describe('workbooks built to be read two ways', () => {
  const capacityRows = () => t.count("SELECT count() FROM capacity_raw WHERE source = 'phong-kinh-te'");
  const wb = () => partsOf('cong-suat-nhieu-trang.xlsx');
  const sheets = (xml: string, list: string) => xml.replace(/<sheets>.*<\/sheets>/, `<sheets>${list}</sheets>`).replace('activeTab="1"', 'activeTab="0"');
  const cu = '<sheet name="Cũ" sheetId="1" state="hidden" r:id="rId2"/>';
  const thang8 = '<sheet name="Tháng 8" sheetId="2" state="visible" r:id="rId3"/>';

  it('refuses (422, naming it) a sheet in a comment, a sheet without a name, a workbook part other than xl/workbook.xml, two sheets of one name: never a hidden sheet read under another\'s name', async () => {
    const cases: Array<[string, Map<string, Buffer>, RegExp]> = [
      ['comment', edited(wb(), 'xl/workbook.xml', (x) => sheets(x, `<!-- ${thang8} -->${cu}${thang8}`)), /ambiguous: xl\/workbook\.xml holds 1 XML comment/],
      ['no name', edited(wb(), 'xl/workbook.xml', (x) => sheets(x, `<sheet sheetId="4" r:id="rId3"/>${cu}${thang8}`)), /ambiguous: xl\/workbook\.xml lists a sheet without a name/],
      ['other workbook part', (() => {
        const p = edited(wb(), '_rels/.rels', (x) => x.replace('Target="xl/workbook.xml"', 'Target="xl/decoy.xml"'));
        p.set('xl/decoy.xml', Buffer.from(sheets(p.get('xl/workbook.xml')!.toString(), thang8)));
        p.set('xl/_rels/decoy.xml.rels', p.get('xl/_rels/workbook.xml.rels')!);
        return p;
      })(), /ambiguous: _rels\/\.rels names the workbook part "xl\/decoy\.xml", and only xl\/workbook\.xml is read/],
      ['two of one name', edited(wb(), 'xl/workbook.xml', (x) => sheets(x, `${cu.replace('Cũ', 'Tháng 8')}${thang8}`)), /ambiguous: two sheets are named "Tháng 8"/],
    ];
    const before = await capacityRows();
    for (const [what, parts, reason] of cases) {
      const res = await upload('capacity', `${what}.xlsx`, zipOf(parts), '', xlsxType);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(422);
      expect(res.json()).toMatchObject({ code: 'HD_INGEST_BAD_FILE' });
      expect(res.json().detail, what).toMatch(reason);
    }
    expect(await capacityRows()).toBe(before);
    // the same parts, unedited but rezipped, read as before: the refusals are the edits'
    const plain = await upload('capacity', 'plain.xlsx', zipOf(wb()), '', xlsxType);
    expect(plain.json(), plain.body).toMatchObject({ sheet: 'Tháng 8', otherSheets: ['Cũ (hidden)', 'Ghi chú'] });
  });

  it('answers a workbook whose XML would take a regular expression minutes within seconds: long attribute runs, tags never closed, in the workbook and the styles', async () => {
    const run = (n: number) => 'a'.repeat(n);
    const cases: Array<[string, Map<string, Buffer>, number, RegExp | undefined]> = [
      ['run-2mb', edited(wb(), 'xl/workbook.xml', (x) => x.replace(thang8, thang8.replace('/>', ` ${run(2_000_000)}/>`))), 413, /part xl\/workbook\.xml has \d+ bytes, more than the 1048576/],
      ['run-900k', edited(wb(), 'xl/workbook.xml', (x) => x.replace(thang8, thang8.replace('/>', ` ${run(900_000)}/>`))), 422, /xl\/workbook\.xml has malformed attributes/],
      ['unclosed', edited(wb(), 'xl/workbook.xml', (x) => x.replace('<sheets>', `<sheets>${'<sheet '.repeat(120_000)}`)), 422, /xl\/workbook\.xml has malformed attributes/],
      ['styles-run', edited(wb(), 'xl/styles.xml', (x) => x.replace('<numFmts', `<numFmt ${run(900_000)}/><numFmts`)), 202, undefined],
      ['styles-unclosed', edited(wb(), 'xl/styles.xml', (x) => x.replace('<cellXfs', `${'<cellXfs <xf '.repeat(60_000)}<cellXfs`)), 202, undefined],
    ];
    for (const [what, parts, status, reason] of cases) {
      const t0 = Date.now();
      const res = await upload('capacity', `${what}.xlsx`, zipOf(parts), '', xlsxType);
      expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBe(status);
      if (reason) expect(res.json().detail, what).toMatch(reason);
      expect(Date.now() - t0, what).toBeLessThan(5_000);
    }
  }, 60_000);
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
    // without strict the first file is read whole and stored: the answer says so, not that "the rest of the file was not"
    const loose = await send('prices', Buffer.concat([part('a.csv', csv('08')), part('b.csv', csv('09')), closing]));
    expect(loose.statusCode, loose.body).toBe(400);
    expect(loose.json()).toMatchObject({ accepted: 1 });
    expect(loose.json().detail).toMatch(/a second file \("b\.csv"\), which was not read: send one file per upload; as for the first file \("a\.csv"\), it was read whole and 1 of its rows were accepted \(stored\)$/);
    expect(loose.json().detail).not.toMatch(/the rest of the file/);
    expect(await stored("toDate(observed_at) = '2022-03-08'")).toBe(1);
  });
});

describe('a percentage as an XLSX percent cell is read out (the attacker\'s F4)', () => {
  it('a percentage with three decimals ("12,345%", as a percent cell 0.12345 is read out of an XLSX) is 12.345, not refused as ambiguous', async () => {
    const csv = 'Mã dự án,Ngày báo cáo,Năm kế hoạch,Tháng báo cáo,Kế hoạch vốn năm (đồng),Giải ngân trong tháng (đồng),Lũy kế giải ngân (đồng),Tiến độ thực hiện (%),Chậm tiến độ\nda-1,31/10/2022,2022,10/2022,100.000.000.000,1.000.000.000,15.000.000.000,"12,345%",không\n';
    const res = await upload('disbursement', 'giai-ngan-10.csv', csv);
    expect(res.statusCode, res.body).toBe(202);
    expect(await t.count("SELECT physical_progress_pct FROM disbursement_raw WHERE source = 'phong-kinh-te' AND month = '2022-10'")).toBe(12.345);
  });
});
