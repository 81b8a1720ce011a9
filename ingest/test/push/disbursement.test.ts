import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import readExcelFile from 'read-excel-file/node';
import writeXlsxFile from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testPlaces } from '../../../api/test/fixtures/test-api.ts';
import { startIngestApi, type IngestTestApi } from './ingest-test-api.ts';

/**
 * The plan's fifth stream end to end, in one api over chDB fed by the real processor: a
 * project owner pushes its monthly reports and uploads the next month on the Vietnamese
 * template; the current state, the disbursement-rate KPI by month and at the plan's report
 * date, the behind-schedule alert and the evaluation report's project table follow.
 */
let api: IngestTestApi;
let key: string;
let admin: string;
const ty = 1_000_000_000;
/** share of the plan paid by each month's end, January to August 2022 */
const paid = { 'da-1': [0.02, 0.07, 0.12, 0.18, 0.24, 0.3, 0.36, 0.43], 'da-2': [0.01, 0.03, 0.05, 0.08, 0.1, 0.12, 0.15, 0.18] } as const;
const plan = { 'da-1': 100 * ty, 'da-2': 300 * ty } as const;
const lastDay = (m: number) => new Date(Date.UTC(2022, m, 0)).getUTCDate();
const pad = (n: number) => String(n).padStart(2, '0');

function monthly(entity: keyof typeof paid, m: number) {
  const toDate = Math.round(plan[entity] * paid[entity][m - 1]!);
  const before = m === 1 ? 0 : Math.round(plan[entity] * paid[entity][m - 2]!);
  return {
    entity,
    observedAt: `2022-${pad(m)}-${lastDay(m)}T17:00:00+07:00`,
    payload: { planYear: 2022, month: `2022-${pad(m)}`, capitalPlanVnd: plan[entity], disbursedMonthVnd: toDate - before, disbursedToDateVnd: toDate, physicalProgressPct: 10 + m * 5, behindSchedule: entity === 'da-2' && m >= 6 },
  };
}

/** LibreOffice (`npm test` installs Debian's libreoffice-calc-nogui: scripts/deps/libreoffice.sh) */
const soffice = (() => {
  try {
    return execFileSync('which', ['soffice'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
})();

const get = async (url: string) => api.app.inject({ method: 'GET', url, headers: { cookie: admin } });

beforeAll(async () => {
  api = await startIngestApi({
    places: {
      ...testPlaces,
      projects: [
        { id: 'da-1', name: { vi: 'Đường ngang Phường 1', en: 'Ward 1 cross street' }, wardCode: 'w1', planYear: 2022, capitalPlanVnd: plan['da-1'] },
        { id: 'da-2', name: { vi: 'Kè Phường 2', en: 'Ward 2 embankment' }, wardCode: 'w2', planYear: 2022, capitalPlanVnd: plan['da-2'] },
      ],
    } as typeof testPlaces,
  });
  admin = api.admin;
  key = await api.keyFor('ban-qlda', ['disbursement'], ['da-1', 'da-2']);
});
afterAll(async () => api?.close());

describe('public-investment disbursement, end to end', () => {
  it('takes the monthly reports pushed as JSON, January to August', async () => {
    const body = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((m) => [monthly('da-1', m), monthly('da-2', m)]);
    const res = await api.app.inject({ method: 'POST', url: '/ingest/v1/disbursement', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 16, refused: 0 });
  });

  it('refuses a push paying more than the plan, naming the field', async () => {
    const bad = monthly('da-1', 8);
    const res = await api.app.inject({ method: 'POST', url: '/ingest/v1/disbursement', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify([{ ...bad, payload: { ...bad.payload, disbursedToDateVnd: 101 * ty } }]) });
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toContain('disbursedToDateVnd');
  });

  it('takes September uploaded on the Vietnamese template, as an office fills it (title row, totals row)', async () => {
    const template = await api.app.inject({ method: 'GET', url: '/ingest/v1/disbursement/template.csv', headers: { authorization: `Bearer ${key}` } });
    expect(template.statusCode).toBe(200);
    const [header] = parse(template.body.replace(/^\ufeff/, '')) as string[][];
    expect(header).toEqual(['Mã dự án', 'Ngày báo cáo', 'Năm kế hoạch', 'Tháng báo cáo', 'Kế hoạch vốn năm (đồng)', 'Giải ngân trong tháng (đồng)', 'Lũy kế giải ngân (đồng)', 'Tiến độ thực hiện (%)', 'Chậm tiến độ']);
    const csv = [
      'BÁO CÁO TÌNH HÌNH GIẢI NGÂN VỐN ĐẦU TƯ CÔNG THÁNG 9/2022,,,,,,,,',
      header!.join(','),
      'da-1,30/09/2022 17:00,2022,09/2022,"100.000.000.000","8.000.000.000","51.000.000.000","55,5",không',
      'da-2,30/09/2022 17:00,2022,tháng 9/2022,"300.000.000.000","6.000.000.000","60.000.000.000",40,có',
      'Tổng cộng,,,,"400.000.000.000","14.000.000.000","111.000.000.000",,',
    ].join('\n');
    const boundary = '----disbursement';
    const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="giai-ngan-t9.csv"\r\nContent-Type: text/csv\r\n\r\n\ufeff${csv}\r\n--${boundary}--\r\n`);
    const res = await api.app.inject({ method: 'POST', url: '/ingest/v1/disbursement/upload', headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ rows: 2, accepted: 2, refused: 0, headerRow: 2 });
    expect(res.json().skipped.map((x: { reason: string }) => x.reason)).toEqual(['title above the header row', expect.stringMatching(/^totals row/)]);
  });

  it('takes the XLSX template back filled in as Excel stores it: numbers as numbers, dates as dates, a month typed 2022-10 that Excel turned into a date', async () => {
    const template = await api.app.inject({ method: 'GET', url: '/ingest/v1/disbursement/template.xlsx', headers: { authorization: `Bearer ${key}` } });
    expect(template.statusCode).toBe(200);
    const [sheet] = await readExcelFile(template.rawPayload);
    const header = sheet!.data[0] as string[];
    expect(header[3]).toBe('Tháng báo cáo');
    const cell = (value: unknown) => (value instanceof Date ? { value, type: Date, format: 'dd/mm/yyyy hh:mm' } : typeof value === 'number' ? { value, type: Number } : { value: String(value), type: String });
    // October: da-1's month as text, da-2's month cell a date (what Excel makes of a typed 2022-10)
    const rows = [
      header.map((h) => ({ value: h, type: String })),
      ['da-1', new Date(Date.UTC(2022, 9, 31, 17)), 2022, '2022-10', 100 * ty, 5 * ty, 56 * ty, 60, 'không'].map(cell),
      ['da-2', new Date(Date.UTC(2022, 9, 31, 17)), 2022, new Date(Date.UTC(2022, 9, 1)), 300 * ty, 6 * ty, 66 * ty, 42, 'có'].map(cell),
    ];
    const xlsx = await writeXlsxFile(rows as never, {}).toBuffer();
    const boundary = '----disbursement-xlsx';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="giai-ngan-t10.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`),
      xlsx,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await api.app.inject({ method: 'POST', url: '/ingest/v1/disbursement/upload', headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ rows: 2, accepted: 2, refused: 0 });
    expect(await api.count("SELECT count() FROM disbursement_raw WHERE month = '2022-10' AND disbursed_to_date_vnd IN (56000000000, 66000000000)")).toBe(2);
  });

  it('keeps the latest report per project and plan year as the current state', async () => {
    const res = await get('/api/v1/disbursement/projects');
    expect(res.statusCode, res.body).toBe(200);
    const rows = JSON.stringify(res.json());
    for (const want of ['"entity":"da-1"', '"entity":"da-2"', '"month":"2022-10"', '"disbursedToDateVnd":56000000000', '"disbursedToDateVnd":66000000000', '"behindSchedule":true']) expect(rows).toContain(want);
    expect(rows).not.toContain('"month":"2022-09"');
  });

  it('gives the disbursement rate by month: paid to date over the year’s plan of all projects', async () => {
    const res = await get('/api/v1/kpi/disbursement-rate/series?from=2021-12-31T17:00:00Z&to=2022-09-30T17:00:00Z&step=1M');
    expect(res.statusCode, res.body).toBe(200);
    // months start at local midnight of the 1st (17:00 UTC the day before): the month is the local one
    const localMonth = (t: string) => new Date(Date.parse(t) + 7 * 3_600_000).toISOString().slice(0, 7);
    const byMonth = Object.fromEntries((res.json().points as Array<{ t: string; series: string; value: number }>).map((p) => [localMonth(p.t), [p.series, p.value]]));
    expect(Object.keys(byMonth)).toEqual(['2022-01', '2022-02', '2022-03', '2022-04', '2022-05', '2022-06', '2022-07', '2022-08', '2022-09']);
    expect(byMonth['2022-07']).toEqual(['2022', (0.36 * 100 + 0.15 * 300) / 400]);
    // September came by upload
    expect(byMonth['2022-09']![1]).toBeCloseTo((51 + 60) / 400, 12);
    expect(byMonth['2022-08']![1]).toBeCloseTo((0.43 * 100 + 0.18 * 300) / 400, 12);
    expect(byMonth['2022-01']![1]).toBeCloseTo((0.02 * 100 + 0.01 * 300) / 400, 12);
  });

  it('judges it at the plan’s report date (15/8/2022): the projects’ last reports before it, against the 95% the year must reach', async () => {
    const res = await get('/api/v1/kpi/evaluation?report=2022-08-15&kpi=disbursement-rate');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results).toEqual([expect.objectContaining({ kpi: 'disbursement-rate', series: '2022', target: 0.95, direction: 'min', met: false })]);
    expect(res.json().results[0].actual).toBeCloseTo((0.36 * 100 + 0.15 * 300) / 400, 12);
  });

  it('raises an alert for the project behind schedule, one episode, not for the one on track', async () => {
    await vi.waitFor(
      async () => {
        const alerts = (await get('/api/v1/alerts?state=firing')).json().alerts as Array<{ ruleId: string; entity: string; series: string }>;
        expect(alerts.filter((a) => a.ruleId === 'disbursement-behind-schedule').map((a) => [a.entity, a.series])).toEqual([['da-2', '2022']]);
      },
      { timeout: 30_000, interval: 200 },
    );
  });

  it('lists each project in the evaluation report, those behind schedule first', async () => {
    const res = await get('/api/v1/reports/evaluation/preview?report=2022-08-15');
    expect(res.statusCode, res.body).toBe(200);
    const table = (res.json().tables as Array<{ stream: string; rows: unknown[][] }>).find((t) => t.stream === 'disbursement')!;
    expect(table.rows).toEqual([
      ['da-2', '2022', '2022-07', 300 * ty, 45 * ty, 0.15, 45, true],
      ['da-1', '2022', '2022-07', 100 * ty, 36 * ty, 0.36, 45, false],
    ]);
    expect((res.json().results as Array<{ kpi: string }>).map((r) => r.kpi)).toContain('disbursement-rate');
  });

  it('writes that table into the report a finance office opens: a sheet of the XLSX (millions of đồng) and a table of the PDF', async () => {
    const xlsx = await get('/api/v1/reports/evaluation?report=2022-08-15&format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    const sheets = await readExcelFile(xlsx.rawPayload);
    const sheet = sheets.find((x) => x.sheet.endsWith('. disbursement'))!;
    expect(sheet.data[1]).toEqual(['Dự án', 'Năm kế hoạch', 'Tháng báo cáo', 'Kế hoạch vốn năm (triệu đồng)', 'Lũy kế giải ngân (triệu đồng)', 'Tỷ lệ giải ngân', 'Tiến độ thực hiện (%)', 'Chậm tiến độ']);
    expect(sheet.data[2]).toEqual(['da-2', '2022', '2022-07', 300_000, 45_000, 0.15, 45, 'Có']);
    const pdf = await get('/api/v1/reports/evaluation?report=2022-08-15&format=pdf');
    expect(pdf.statusCode).toBe(200);
    const file = join(mkdtempSync(join(tmpdir(), 'haidang-disbursement-')), 'report.pdf');
    writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Tình hình giải ngân vốn đầu tư công theo dự án');
    expect(text).toContain('da-2 2022 2022-07 300.000 45.000 15,0% 45% Có');
    expect(text).toContain('Tỷ lệ giải ngân vốn đầu tư công so với kế hoạch vốn năm');
  });

  it.skipIf(!soffice)('takes November from a sheet LibreOffice Calc saved as XLSX (its own shared strings and styles, not our writer)', async () => {
    const template = await api.app.inject({ method: 'GET', url: '/ingest/v1/disbursement/template.csv', headers: { authorization: `Bearer ${key}` } });
    const [header] = parse(template.body.replace(/^\ufeff/, '')) as string[][];
    const dir = mkdtempSync(join(tmpdir(), 'haidang-disbursement-calc-'));
    const csv = [header!.join(','), 'da-1,30/11/2022 17:00,2022,11/2022,100000000000,4000000000,60000000000,64,không', 'da-2,30/11/2022 17:00,2022,11/2022,300000000000,9000000000,75000000000,45,có'].join('\n');
    writeFileSync(join(dir, 't11.csv'), `${csv}\n`);
    // comma-separated, double quotes, UTF-8 (76), from row 1: how a clerk opens the CSV in Calc, then saves it as Excel 2007-365
    execFileSync(soffice!, ['--headless', '--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', dir, join(dir, 't11.csv')], { timeout: 120_000 });
    const boundary = '----disbursement-calc';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="giai-ngan-t11.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`),
      readFileSync(join(dir, 't11.xlsx')),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await api.app.inject({ method: 'POST', url: '/ingest/v1/disbursement/upload', headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ rows: 2, accepted: 2, refused: 0 });
    await vi.waitFor(async () => expect(await api.count("SELECT count() FROM disbursement_raw WHERE month = '2022-11' AND disbursed_to_date_vnd IN (60000000000, 75000000000)")).toBe(2), { timeout: 20_000 });
  });
});
