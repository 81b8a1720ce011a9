import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import readExcelFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiDefinitions } from '../src/kpi/definitions.ts';
import { summaryHeader, summaryTitleRows } from '../src/reports/evaluation-xlsx.ts';
import { capacity, doses, dossiers, price } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
const get = async (url: string, role: Parameters<TestApi['cookieFor']>[0] = 'evaluator') => api.app.inject({ method: 'GET', url, headers: { cookie: await api.cookieFor(role) } });
const noon = (d: string) => `${d}T12:00:00+07:00`;

beforeAll(async () => {
  api = await startTestApi();
  await api.store_events([
    // online share 45% in March, 70% in May → 60% over the period (met), rising
    dossiers('ag-1', noon('2022-03-10'), { received: 40, online: 18, onTime: 30, late: 10 }),
    dossiers('ag-1', noon('2022-05-10'), { received: 60, online: 42, onTime: 58, late: 2 }),
    // tier 2 oxygen ends at 18/20 = 90% (not met), tier 3 at 3/10
    capacity('f-a', noon('2022-06-01'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 4 }),
    capacity('f-b', noon('2022-06-01'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 5 }),
    capacity('f-a', noon('2022-08-10'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 9 }),
    capacity('f-b', noon('2022-08-10'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 9 }),
    capacity('f-c', noon('2022-08-10'), { tier: 3, oxygenTotal: 10, oxygenOccupied: 3 }),
    doses('w1', noon('2022-02-15'), 1, 1200),
    doses('w2', noon('2022-04-15'), 1, 1234),
    ...['01', '02', '03', '04', '05', '06', '07', '08'].map((d, i) => price('m-1', noon(`2022-07-${d}`), 'pork', i < 7 ? 100_000 : 105_000)),
  ]);
}, 120_000);
afterAll(async () => api?.close());

describe('evaluation report', () => {
  it('XLSX: a summary of every KPI that matches /kpi/evaluation, and a sheet per KPI', async () => {
    const res = await get('/api/v1/reports/evaluation?report=2022-08-15&format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename="haidang-evaluation-2022-08-15_generated-.*\.xlsx"/);
    const sheets = await readExcelFile(res.rawPayload);
    expect(sheets.map((s) => s.sheet)).toEqual(['Tổng hợp', ...kpiDefinitions.map((k, i) => `${i + 1}. ${k.id}`.slice(0, 31))]);
    const summary = sheets[0]!.data;
    expect(String(summary[0]![0])).toMatch(/^UBND THÀNH PHỐ VŨNG TÀU — Báo cáo kết quả đến 15\/8\/2022/);
    expect(summary[1]![0]).toBe('Kỳ báo cáo: 30/01/2022 – 14/08/2022');
    expect(summary[summaryTitleRows]).toEqual(summaryHeader);
    const rows = summary.slice(summaryTitleRows + 1);

    const evaluation = (await get('/api/v1/kpi/evaluation?report=2022-08-15')).json().results as Array<{ kpi: string; series: string; actual: number | null; target: number | null; met: boolean | null }>;
    expect(rows).toHaveLength(evaluation.length);
    const seriesName = (s: string) => (s === '' ? 'Toàn thành phố' : s.replace('tier-', 'Tầng '));
    for (const e of evaluation) {
      const row = rows.find((r) => r[0] === e.kpi && r[2] === seriesName(e.series))!;
      expect(row, `${e.kpi} ${e.series}`).toBeDefined();
      expect(row[4] ?? null).toBe(e.actual);
      expect(row[5] ?? null).toBe(e.target);
      expect(row[7]).toBe(e.met === null ? 'Không đánh giá' : e.met ? 'Đạt' : 'Không đạt');
    }
    const online = rows.find((r) => r[0] === 'dossiers-online-share')!;
    expect(online.slice(4)).toEqual([0.6, 0.5, 'Tối thiểu', 'Đạt', 'Tăng (tốt lên)', 'Kế hoạch (NQ 11/NQ-CP)']);
    expect(rows.find((r) => r[0] === 'capacity-oxygen-occupancy' && r[2] === 'Tầng 2')!.slice(4, 8)).toEqual([0.9, 0.85, 'Không vượt quá', 'Không đạt']);

    // the online-share sheet: its monthly series with Vietnamese headers
    const sheet = sheets.find((s) => s.sheet === '2. dossiers-online-share')!.data;
    expect(sheet[1]).toEqual(['Kỳ (bắt đầu)', 'Phạm vi', 'Giá trị', 'Mục tiêu', 'Kết quả']);
    expect(sheet.slice(2).map((r) => [r[2], r[4]])).toEqual([
      [0.45, 'Không đạt'],
      [0.7, 'Đạt'],
    ]);
    expect(sheet[2]![0]).toBeInstanceOf(Date);
  });

  it('PDF: opens, titled as a city report, with every KPI name and its figures in vi-VN', async () => {
    const res = await get('/api/v1/reports/evaluation?report=2022-08-15&format=pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(mkdtempSync(join(tmpdir(), 'haidang-report-')), 'report.pdf');
    writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('UBND THÀNH PHỐ VŨNG TÀU');
    expect(text).toContain('BÁO CÁO ĐÁNH GIÁ KẾT QUẢ');
    expect(text).toContain('từ 30/01/2022 đến 14/08/2022');
    for (const k of kpiDefinitions) expect(text).toContain(k.name.vi);
    // online share 60,0% (met), tier-2 oxygen 90,0% against ≤ 85,0%, 2.434 first doses
    expect(text).toMatch(/Tỷ lệ hồ sơ tiếp nhận trực tuyến Toàn thành phố 60,0% tối thiểu 50,0% Đạt Tăng \(tốt lên\)/);
    expect(text).toMatch(/Tầng 2 90,0% không vượt quá 85,0% Không đạt/);
    expect(text).toContain('2.434');
  });

  it('an evaluator’s own period; audit-logged; refused to other roles and for bad periods', async () => {
    const res = await get('/api/v1/reports/evaluation?from=2022-03-01T00:00:00%2B07:00&to=2022-04-01T00:00:00%2B07:00&format=xlsx');
    expect(res.statusCode).toBe(200);
    const [summary] = await readExcelFile(res.rawPayload);
    expect(summary!.data[1]![0]).toBe('Kỳ báo cáo: 01/03/2022 – 31/03/2022');
    expect(summary!.data.slice(summaryTitleRows + 1).find((r) => r[0] === 'dossiers-online-share')![4]).toBe(0.45);
    const audit = (await get('/api/v1/audit?action=export', 'admin')).json().entries;
    expect(audit.filter((e: { target: string }) => e.target === 'evaluation-report').length).toBeGreaterThanOrEqual(3);
    expect((await get('/api/v1/reports/evaluation?report=2022-08-15', 'operator')).statusCode).toBe(403);
    expect((await get('/api/v1/reports/evaluation?report=2022-08-15', 'health')).statusCode).toBe(403);
    expect((await get('/api/v1/reports/evaluation?report=2022-08-15&format=docx')).json().errors[0].field).toBe('querystring.format');
    expect((await get('/api/v1/reports/evaluation?from=2022-03-01T00:00:00Z')).json().errors[0].field).toBe('querystring.report');
    expect((await get('/api/v1/reports/evaluation?from=2010-01-01T00:00:00Z&to=2022-01-01T00:00:00Z')).json().errors[0].field).toBe('querystring.from');
  });
});
