import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { unzipSync, strFromU8 } from 'fflate';
import { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeCell } from '../src/export/cell-escape.ts';
import { csvOf, headerBlockRows, type ExportTable } from '../src/export/formats.ts';
import { localMidnight, wallClock } from '../src/kpi/local-time.ts';
import { capacity, doses, dossiers, price } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
const get = async (url: string, role: Parameters<TestApi['cookieFor']>[0] = 'evaluator') => api.app.inject({ method: 'GET', url, headers: { cookie: await api.cookieFor(role) } });
/** a time in Vũng Tàu (UTC+7) */
const vn = (d: string, hm = '10:00') => `${d}T${hm}:00+07:00`;
const packTargets = JSON.parse(readFileSync(new URL('../../packs/vung-tau/kpi-targets.json', import.meta.url), 'utf8')) as Array<{ id: string; target: number | null }>;
/** LibreOffice (`npm test` installs Debian's libreoffice-calc-nogui: scripts/deps/libreoffice.sh) */
const soffice = (() => {
  try {
    return execFileSync('which', ['soffice'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
})();

beforeAll(async () => {
  api = await startTestApi();
  const risky = price('m-2', vn('2022-08-02'), 'pork', 95_000);
  risky.source = '@cmd';
  await api.store_events([
    // dossiers around local midnights: 31/7 23:30 and 1/9 00:30 are outside August (local), 1/8 00:30 and 31/8 23:30 inside
    dossiers('ag-1', vn('2022-07-31', '23:30'), { received: 100, online: 0, onTime: 0, late: 0 }),
    dossiers('ag-1', vn('2022-08-01', '00:30'), { received: 60, online: 30, onTime: 50, late: 10 }),
    dossiers('ag-1', vn('2022-08-02'), { received: 40, online: 30, onTime: 40, late: 0 }),
    dossiers('ag-1', vn('2022-08-31', '23:30'), { received: 100, online: 100, onTime: 100, late: 0 }),
    dossiers('ag-1', vn('2022-09-01', '00:30'), { received: 100, online: 0, onTime: 0, late: 0 }),
    // tier 2 ends the period at 19/20 = 95% (target ≤ 85%: not met); tier 3 at 2/5
    capacity('f-a', vn('2022-08-10'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 9 }),
    capacity('f-b', vn('2022-08-10'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 8 }),
    capacity('f-a', vn('2022-08-14'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 10 }),
    capacity('f-b', vn('2022-08-14'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 9 }),
    capacity('f-c', vn('2022-08-14'), { tier: 3, oxygenTotal: 5, oxygenOccupied: 2 }),
    // 1,500 first doses of adults (2,000 in the census): 75%; 100 boosters of 12–17 (500): 20%
    doses('w1', vn('2022-03-01'), 1, 500),
    doses('w2', vn('2022-04-01'), 1, 1000),
    doses('w2', vn('2022-04-01'), 2, 100),
    doses('w2', vn('2022-04-01'), 3, 100, '12-17'),
    // doses of children count in no adult coverage
    doses('w2', vn('2022-04-01'), 1, 300, '5-11'),
    // pork at 100k for a week, then 120k: 20% above the 7-day median (target ≤ 10%: not met)
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => price('m-1', vn(`2022-08-${d}`), 'pork', 100_000)),
    price('m-1', vn('2022-08-08'), 'pork', 120_000),
    risky,
  ]);
}, 120_000);
afterAll(async () => api?.close());

type Result = { kpi: string; series: string; actual: number | null; met: boolean | null; opening?: { doses: number; origin: string } | null; population?: number | null };
const of = (r: Result[], kpi: string, series = '') => r.find((x) => x.kpi === kpi && x.series === series)!;

describe('KPIs', () => {
  it('are the city pack’s: every target of kpi-targets.json, read by the engine', async () => {
    const res = await get('/api/v1/kpi');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(body.kpis.map((k: { id: string; target: number | null }) => [k.id, k.target])).toEqual(packTargets.map((t) => [t.id, t.target]));
    // the coverage denominator is the census of the cohort (18+), not every age
    expect(body.kpis.find((k: { id: string }) => k.id === 'vaccination-coverage-dose1')).toMatchObject({ population: 2000, cohort: { doseNumber: 1, ageGroups: ['18-49', '50-64', '65+'] } });
    expect(body.reportPeriods.map((p: { id: string }) => p.id)).toEqual(['2022-08-15', '2023-08', '2024-04']);
  });

  it('evaluates the 15 Aug 2022 report period with known answers', async () => {
    const res = await get('/api/v1/kpi/evaluation?report=2022-08-15');
    expect(res.statusCode).toBe(200);
    const r = res.json().results as Result[];
    expect(of(r, 'dossiers-online-share')).toMatchObject({ actual: 0.3, met: false });
    expect(of(r, 'dossiers-on-time-rate')).toMatchObject({ actual: 0.9, met: false });
    expect(of(r, 'capacity-oxygen-occupancy', 'tier-2')).toMatchObject({ actual: 0.95, met: false });
    expect(of(r, 'capacity-oxygen-occupancy', 'tier-3')).toMatchObject({ actual: 0.4, met: true });
    expect(of(r, 'vaccination-doses')).toMatchObject({ actual: 2000, met: null });
    expect(of(r, 'vaccination-coverage-dose1')).toMatchObject({ actual: 0.75, met: false, population: 2000, opening: null });
    expect(of(r, 'vaccination-booster-12-17')).toMatchObject({ actual: 0.2, met: false, population: 500 });
    expect(of(r, 'prices-deviation').actual).toBeCloseTo(0.2);
    expect(of(r, 'prices-deviation').met).toBe(false);
  });

  it('a day’s bucket starts at 00:00 in Vũng Tàu: reports at 00:30 and 23:30 local fall in their own local day', async () => {
    const res = await get(`/api/v1/kpi/dossiers-online-share/series?from=${encodeURIComponent(vn('2022-07-31', '00:00'))}&to=${encodeURIComponent(vn('2022-08-03', '00:00'))}&step=1d`);
    expect(res.statusCode).toBe(200);
    const points = res.json().points as Array<{ t: string; value: number }>;
    expect(points).toEqual([
      { t: '2022-07-30T17:00:00.000Z', series: '', value: 0 },
      { t: '2022-07-31T17:00:00.000Z', series: '', value: 0.5 },
      { t: '2022-08-01T17:00:00.000Z', series: '', value: 0.75 },
    ]);
    // each bucket starts at local midnight
    for (const p of points) expect(wallClock(p.t, 'Asia/Ho_Chi_Minh').toISOString()).toMatch(/T00:00:00\.000Z$/);
  });

  it('months are local months', async () => {
    const res = await get(`/api/v1/kpi/dossiers-online-share/series?from=${encodeURIComponent(vn('2022-07-01', '00:00'))}&to=${encodeURIComponent(vn('2022-10-01', '00:00'))}&step=1M`);
    expect(res.json().points).toEqual([
      { t: '2022-06-30T17:00:00.000Z', series: '', value: 0 },
      { t: '2022-07-31T17:00:00.000Z', series: '', value: 0.8 },
      { t: '2022-08-31T17:00:00.000Z', series: '', value: 0 },
    ]);
  });

  it('a period of 1–31 August 2022 covers exactly those local days', async () => {
    const res = await get('/api/v1/kpi/evaluation?from=2022-08-01&to=2022-08-31&kpi=dossiers-online-share');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ from: '2022-07-31T17:00:00.000Z', to: '2022-08-31T17:00:00.000Z' });
    // 60 + 40 + 100 received, 30 + 30 + 100 online; the UTC month would have taken 1/9 00:30 and left out 1/8 00:30
    expect(res.json().results[0].actual).toBe(0.8);
    const preview = (await get('/api/v1/reports/evaluation/preview?from=2022-08-01&to=2022-08-31')).json();
    expect([preview.firstDay, preview.lastDay]).toEqual(['2022-08-01', '2022-08-31']);
    expect(preview.coverage.find((c: { stream: string }) => c.stream === 'dossiers')).toMatchObject({ days: 31, daysWithData: 3 });
  });

  it('cumulative coverage starts from the opening balance an admin uploads (CSV, vi-VN Excel dialect), shown as such', async () => {
    const admin = await api.cookieFor('admin');
    const csv = '\uFEFFMũi;Nhóm tuổi;Số mũi\r\n1;18-49;200\r\n1;50-64;100\r\n3;12-17;50\r\n1;5-11;999\r\n';
    const denied = await api.app.inject({ method: 'PUT', url: '/api/v1/kpi/opening-balance?asOf=2022-01-30T00:00:00%2B07:00&basis=registry', headers: { cookie: await api.cookieFor('evaluator'), 'content-type': 'text/csv' }, payload: csv });
    expect(denied.statusCode).toBe(403);
    const up = await api.app.inject({ method: 'PUT', url: `/api/v1/kpi/opening-balance?asOf=2022-01-30T00:00:00%2B07:00&basis=${encodeURIComponent('Sổ tiêm chủng 29/01/2022')}`, headers: { cookie: admin, 'content-type': 'text/csv' }, payload: csv });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().openingBalance).toMatchObject({ origin: 'upload', asOf: '2022-01-29T17:00:00.000Z', uploadedBy: 'admin' });
    const after = await get('/api/v1/kpi/evaluation?report=2022-08-15');
    expect(after.statusCode, after.body).toBe(200);
    const r = after.json().results as Result[];
    // (300 before go-live + 1,500 since) / 2,000 adults; (50 + 100) / 500 aged 12–17
    expect(of(r, 'vaccination-coverage-dose1')).toMatchObject({ actual: 0.9, opening: { doses: 300, origin: 'upload' }, population: 2000 });
    expect(of(r, 'vaccination-booster-12-17').actual).toBe(0.3);
    // before any new dose the coverage is the opening balance alone
    const early = (await get('/api/v1/kpi/evaluation?from=2022-02-01&to=2022-02-10&kpi=vaccination-coverage-dose1')).json().results[0];
    expect(early.actual).toBe(0.15);
    const bad = await api.app.inject({ method: 'PUT', url: '/api/v1/kpi/opening-balance', headers: { cookie: admin }, payload: { asOf: '2022-01-30', basis: 'x', doses: [{ doseNumber: 1, ageGroup: '18+', doses: 1 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.asOf', 'body.doses.0.ageGroup']);
    const ancient = await api.app.inject({ method: 'PUT', url: '/api/v1/kpi/opening-balance', headers: { cookie: admin }, payload: { asOf: '0001-01-01T00:00:00Z', basis: 'x', doses: [{ doseNumber: 1, ageGroup: '18-49', doses: 1 }] } });
    expect(ancient.json().errors).toEqual([{ field: 'body.asOf', message: 'must lie between 1970 and 2100' }]);
    const broken = await api.app.inject({ method: 'PUT', url: '/api/v1/kpi/opening-balance?asOf=2022-01-30T00:00:00%2B07:00&basis=x', headers: { cookie: admin, 'content-type': 'text/csv' }, payload: 'Mũi;Nhóm tuổi;Số mũi\r\n1;"18-49\r\n' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0].field).toBe('body');
    const audit = (await get('/api/v1/audit', 'admin')).json().entries as Array<{ action: string }>;
    expect(audit.find((e) => e.action === 'kpi-opening-balance')).toMatchObject({ actor: 'admin', target: 'opening-balance' });
  });

  it('bad parameters name the field; unknown KPI is 404; health may not read KPIs', async () => {
    const both = await get('/api/v1/kpi/evaluation?report=2022-08-15&from=2022-01-01T00:00:00Z');
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].field).toBe('querystring.report');
    const period = await get('/api/v1/kpi/evaluation?report=2021');
    expect(period.json().errors[0].field).toBe('querystring.report');
    expect((await get('/api/v1/kpi/evaluation?from=0001-01-01&to=2022-01-01')).json().errors[0]).toEqual({ field: 'querystring.from', message: 'must lie between 1970 and 2100' });
    const far = await get('/api/v1/reports/evaluation/preview?from=2022-01-01&to=9999-12-31');
    expect(far.json().errors?.[0]?.field, far.body).toBe('querystring.to');
    expect((await get('/api/v1/kpi/nope/series')).statusCode).toBe(404);
    expect((await get('/api/v1/kpi', 'health')).statusCode).toBe(403);
  });
});

/** the number formats of a workbook's cells, from its styles (the reader gives values only) */
function numberFormats(xlsx: Buffer): string[] {
  const files = unzipSync(new Uint8Array(xlsx));
  return [...strFromU8(files['xl/styles.xml']!).matchAll(/formatCode="([^"]+)"/g)].map((m) => m[1]!.replace(/&quot;/g, '"'));
}

describe('exports', () => {
  const range = `from=${encodeURIComponent(vn('2022-08-01', '00:00'))}&to=${encodeURIComponent(vn('2022-08-09', '00:00'))}`;

  it('escapes spreadsheet formulas in text cells only', () => {
    expect(['=1+1', '+1', '-1', '@x', '\tx', '\0x', 'ok', -5].map(escapeCell)).toEqual(["'=1+1", "'+1", "'-1", "'@x", "'\tx", "'\0x", 'ok', -5]);
  });

  it('keeps a text value with a line break in one cell, so no row of the file starts with a formula (read by Python\'s csv module)', async () => {
    const notes = ["Pfizer\n=2+5+cmd|' /C calc'!A0", 'a\r=1+1', 'b\r\n@SUM(A1)', '=top'];
    for (const dialect of ['excel-vi', 'rfc4180'] as const) {
      const table: ExportTable = {
        title: 't',
        columns: [{ key: 'note', name: { vi: 'Ghi chú', en: 'Note' }, kind: 'text' }, { key: 'n', name: { vi: 'Số', en: 'Number' }, kind: 'integer' }],
        rows: (async function* () {
          for (const [i, note] of notes.entries()) yield { note, n: i };
        })(),
        from: new Date('2022-08-01T00:00:00Z'),
        to: new Date('2022-08-02T00:00:00Z'),
        sources: [],
      };
      const chunks: Buffer[] = [];
      for await (const c of csvOf(table, { lang: 'vi', dialect, tz: 'Asia/Ho_Chi_Minh', city: 'Thành phố Thử' })) chunks.push(Buffer.from(c));
      const read = 'import csv, io, json, sys\nd = sys.argv[1]\nt = sys.stdin.buffer.read().decode("utf-8-sig")\nprint(json.dumps(list(csv.reader(io.StringIO(t, newline=""), delimiter=";" if d == "excel-vi" else ","))))';
      const rows = JSON.parse(execFileSync('python3', ['-c', read, dialect], { input: Buffer.concat(chunks), encoding: 'utf8' })) as string[][];
      expect(rows, dialect).toHaveLength(notes.length + 1);
      expect(rows.slice(1).map((r) => r[1])).toEqual(['0', '1', '2', '3']);
      expect(rows.slice(1).map((r) => r[0])).toEqual([...notes.slice(0, 3), "'=top"]);
      for (const r of rows) expect(r[0], dialect).not.toMatch(/^[=+\-@]/);
    }
  });

  it('raw history as CSV for a Vietnamese Excel by default: BOM, `;`, dd/mm/yyyy HH:mm local, Vietnamese headers with units; escaped; audit-logged', async () => {
    const res = await get(`/api/v1/export/raw/prices?${range}&format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="haidang-prices-raw_2022-07-31T1700Z_2022-08-08T1700Z_generated-.*\.csv"/);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(res.body, { bom: true, delimiter: ';' }) as string[][];
    expect(rows[0]!.slice(0, 4)).toEqual(['Thời điểm số liệu', 'Mã đơn vị báo cáo', 'Tên đơn vị báo cáo', 'Nguồn gửi']);
    expect(rows[0]).toContain('Giá (đồng)');
    const header = rows[0]!;
    const body = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(body.length).toBe(9);
    expect(body[0]).toMatchObject({ 'Thời điểm số liệu': '01/08/2022 10:00', 'Mã đơn vị báo cáo': 'm-1', 'Tên đơn vị báo cáo': 'Market 1', 'Mặt hàng': 'pork', 'Giá (đồng)': '100000', 'Phiên bản': '1' });
    expect(body.find((r) => r['Mã đơn vị báo cáo'] === 'm-2')!['Nguồn gửi']).toBe("'@cmd");
    const audit = await get('/api/v1/audit?action=export', 'admin');
    expect(audit.json().entries[0]).toMatchObject({ actor: 'evaluator', target: 'prices-raw' });
  });

  it('raw history as RFC 4180 CSV for programs: `,`, ISO 8601 UTC, machine headers, still escaped', async () => {
    const res = await get(`/api/v1/export/raw/prices?${range}&format=csv&dialect=rfc4180`);
    expect(res.rawPayload[0]).not.toBe(0xef);
    const rows = parse(res.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows[0]).toMatchObject({ entity: 'm-1', commodity: 'pork', price_vnd: '100000', observed_at: '2022-08-01T03:00:00.000Z' });
    expect(rows.find((r) => r.entity === 'm-2')!.source).toBe("'@cmd");
    expect(res.body.split('\r\n').length).toBe(11);
  });

  it('raw history as XLSX: a header block, dates as date cells on the local clock, numbers as numbers, plain text without an apostrophe', async () => {
    const res = await get(`/api/v1/export/raw/prices?${range}&format=xlsx`);
    expect(res.statusCode).toBe(200);
    const sheet = await readSheet(res.rawPayload);
    expect(sheet[0]![0]).toBe('Dữ liệu gốc: Giá hàng hóa thiết yếu');
    expect(sheet[1]!.slice(0, 2)).toEqual(['Địa bàn', 'Thành phố Thử']);
    expect(sheet[2]!.slice(0, 4)).toEqual(['Từ', new Date('2022-08-01T00:00:00Z'), 'Đến trước', new Date('2022-08-09T00:00:00Z')]);
    expect(sheet[3]!.slice(0, 2)).toEqual(['Nguồn số liệu', '@cmd; test']);
    expect(sheet[4]![0]).toBe('Số liệu tính đến');
    expect(sheet[4]![1]).toBeInstanceOf(Date);
    const header = sheet[headerBlockRows + 1]!;
    expect(header.slice(0, 2)).toEqual(['Thời điểm số liệu', 'Mã đơn vị báo cáo']);
    const rows = sheet.slice(headerBlockRows + 2).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(rows).toHaveLength(9);
    // 10:00 in Vũng Tàu is what the cell shows (a cell has no zone)
    expect(rows[0]).toMatchObject({ 'Thời điểm số liệu': new Date('2022-08-01T10:00:00Z'), 'Giá (đồng)': 100000, 'Phiên bản': 1 });
    expect(rows.find((r) => r['Mã đơn vị báo cáo'] === 'm-2')!['Nguồn gửi']).toBe('@cmd');
    expect(numberFormats(res.rawPayload)).toEqual(expect.arrayContaining(['dd/mm/yyyy hh:mm', '#,##0']));
  });

  it('a KPI series as XLSX: local days as date cells, ratios as percentage cells, Vietnamese words', async () => {
    const res = await get(`/api/v1/export/kpi/dossiers-online-share?${range}&step=1d&format=xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/haidang-kpi-dossiers-online-share-1d_.*\.xlsx"/);
    const sheet = await readSheet(res.rawPayload);
    expect(sheet[headerBlockRows + 1]).toEqual(['Kỳ (bắt đầu)', 'Chỉ tiêu', 'Phạm vi', 'Giá trị', 'Mục tiêu', 'Yêu cầu', 'Kết quả']);
    expect(sheet.slice(headerBlockRows + 2)).toEqual([
      [new Date('2022-08-01T00:00:00Z'), 'Tỷ lệ hồ sơ tiếp nhận, xử lý trực tuyến', 'Toàn thành phố', 0.5, 0.5, 'Tối thiểu', 'Đạt'],
      [new Date('2022-08-02T00:00:00Z'), 'Tỷ lệ hồ sơ tiếp nhận, xử lý trực tuyến', 'Toàn thành phố', 0.75, 0.5, 'Tối thiểu', 'Đạt'],
    ]);
    expect(numberFormats(res.rawPayload)).toEqual(expect.arrayContaining(['0.0%', 'dd/mm/yyyy']));
  });

  it('a KPI series as CSV: vi-VN (percent with a decimal comma) and, in English, RFC 4180 with machine values', async () => {
    const day10 = `from=${encodeURIComponent(vn('2022-08-10', '00:00'))}&to=${encodeURIComponent(vn('2022-08-11', '00:00'))}`;
    const shares = await get(`/api/v1/export/kpi/capacity-oxygen-occupancy?${day10}&step=1d&format=csv`);
    const vi = parse(shares.body, { bom: true, delimiter: ';' }) as string[][];
    expect(vi[0]).toEqual(['Kỳ (bắt đầu)', 'Chỉ tiêu', 'Phạm vi', 'Giá trị (%)', 'Mục tiêu (%)', 'Yêu cầu', 'Kết quả']);
    expect(vi.slice(1).map((r) => [r[0], r[2], r[3], r[4], r[6]])).toEqual([
      ['10/08/2022', 'Tầng 2', '85', '85', 'Đạt'],
    ]);
    const en = await get(`/api/v1/export/kpi/capacity-oxygen-occupancy?${day10}&step=1d&format=csv&lang=en`);
    const rows = parse(en.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toEqual([{ bucket_start: '2022-08-09T17:00:00.000Z', kpi: 'capacity-oxygen-occupancy', series: 'tier-2', value: '0.85', target: '0.85', direction: 'max', met: 'true' }]);
    const enXlsx = await readSheet((await get(`/api/v1/export/kpi/capacity-oxygen-occupancy?${day10}&step=1d&format=xlsx&lang=en`)).rawPayload);
    expect(enXlsx[headerBlockRows + 1]).toEqual(['Period start', 'KPI', 'Scope', 'Value', 'Target', 'Requirement', 'Result']);
    expect(enXlsx[headerBlockRows + 2]!.slice(2)).toEqual(['Tier 2', 0.85, 0.85, 'At most', 'Met']);
  });

  it.skipIf(!soffice)('LibreOffice opens the XLSX with its cells shown the vi-VN way (dates dd/mm/yyyy, percentages 0.0%)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'haidang-lo-'));
    writeFileSync(join(dir, 'k.xlsx'), (await get(`/api/v1/export/kpi/dossiers-online-share?${range}&step=1d&format=xlsx`)).rawPayload);
    execFileSync(soffice!, ['--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false', '--outdir', dir, join(dir, 'k.xlsx')], { timeout: 120_000 });
    const text = readFileSync(join(dir, 'k.csv'), 'utf8');
    expect(text).toContain('50.0%');
    expect(text).toContain('01/08/2022');
  });

  it('raw history as Parquet, written by the store and read back by it', async () => {
    const res = await get(`/api/v1/export/raw/prices?${range}&format=parquet`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 4).toString()).toBe('PAR1');
    const file = join(mkdtempSync(join(tmpdir(), 'haidang-export-')), 'prices.parquet');
    writeFileSync(file, res.rawPayload);
    const rs = await api.store.client.query({ query: `SELECT count() AS n, sum(price_vnd) AS total FROM file('${file}', Parquet)`, format: 'JSONEachRow' });
    const [row] = await rs.json<{ n: string; total: string }>();
    expect([Number(row!.n), Number(row!.total)]).toEqual([9, 915_000]);
  });

  it('refuses operators (403), bad formats, dialects and unknown streams (400 naming the field)', async () => {
    expect((await get(`/api/v1/export/raw/prices?${range}`, 'operator')).statusCode).toBe(403);
    const bad = await get(`/api/v1/export/raw/prices?${range}&format=pdf`);
    expect(bad.json().errors[0].field).toBe('querystring.format');
    expect((await get(`/api/v1/export/raw/prices?${range}&dialect=excel-us`)).json().errors[0].field).toBe('querystring.dialect');
    const stream = await get(`/api/v1/export/raw/weather?${range}`);
    expect(stream.json().errors[0].field).toBe('params.stream');
  });
});

describe('local time', () => {
  it('local midnight of a date in the zone', () => {
    expect(localMidnight('2022-08-01', 'Asia/Ho_Chi_Minh').toISOString()).toBe('2022-07-31T17:00:00.000Z');
    expect(localMidnight('2022-03-27', 'Europe/Paris').toISOString()).toBe('2022-03-26T23:00:00.000Z');
  });
});
