import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import readExcelFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chTime } from '@haidang/stream';
import { localDate } from '../src/kpi/local-time.ts';
import { coverageSheet, summaryHeader, summaryTitleRows, systemSheet } from '../src/reports/evaluation-xlsx.ts';
import { capacity, doses, dossiers, price } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
const get = async (url: string, role: Parameters<TestApi['cookieFor']>[0] = 'evaluator') => api.app.inject({ method: 'GET', url, headers: { cookie: await api.cookieFor(role) } });
const noon = (d: string) => `${d}T12:00:00+07:00`;
const kpis = JSON.parse(readFileSync(new URL('../../packs/vung-tau/kpi-targets.json', import.meta.url), 'utf8')) as Array<{ id: string; name: { vi: string } }>;
const tz = 'Asia/Ho_Chi_Minh';

beforeAll(async () => {
  api = await startTestApi();
  const now = Date.now();
  const recent = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  const late = capacity('f-c', recent(300), { tier: 3, oxygenTotal: 10, oxygenOccupied: 3, receivedAt: recent(10) });
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
    // 1,834 first doses of adults (2,000 in the census): 91,7%
    doses('w1', noon('2022-02-15'), 1, 1200),
    doses('w2', noon('2022-04-15'), 1, 634),
    ...['01', '02', '03', '04', '05', '06', '07', '08'].map((d, i) => price('m-1', noon(`2022-07-${d}`), 'pork', i < 7 ? 100_000 : 105_000)),
    // today: two capacity reports on time, one received 4 h 50 min after the time it describes (the cadence is 1 h)
    capacity('f-a', recent(30), { tier: 2, oxygenTotal: 10, oxygenOccupied: 5 }),
    capacity('f-b', recent(20), { tier: 2, oxygenTotal: 10, oxygenOccupied: 5 }),
    late,
  ]);
  // what the system records: a refused report (dead letter) and an alert acknowledged after 6 minutes
  await api.store.client.insert({
    table: 'deadletter',
    format: 'JSONEachRow',
    values: [{ id: randomUUID(), topic: 'haidang.prices.v1', log_partition: 0, log_offset: 1, key: 'm-1', reason: 'HD_EVENT_INVALID', field: 'payload.priceVnd', message: 'must be positive', event_id: null, source: 'market-upload', raw: '', dead_at: chTime(new Date(now - 3_600_000)) }],
  });
  await api.store.client.insert({
    table: 'api_alerts',
    format: 'JSONEachRow',
    values: [{ episode_id: randomUUID(), rule_id: 'price-jump', entity: 'm-1', series: 'pork', state: 'acknowledged', severity: 'warning', metric: 'price', value: 1.2, threshold: 1.1, message_vi: 'x', message_en: 'x', started_at: chTime(new Date(now - 7_200_000)), resolved_at: null, acknowledged_by: 'operator', acknowledged_at: chTime(new Date(now - 7_200_000 + 360_000)), ack_comment: 'ok', version: 1 }],
  });
}, 120_000);
afterAll(async () => api?.close());

describe('evaluation report', () => {
  it('XLSX: a header block, a summary of every KPI that matches /kpi/evaluation, a sheet per KPI, missing data and the IOC’s own figures', async () => {
    const res = await get('/api/v1/reports/evaluation?report=2022-08-15&format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename="haidang-evaluation-2022-08-15_generated-.*\.xlsx"/);
    const sheets = await readExcelFile(res.rawPayload);
    expect(sheets.map((s) => s.sheet)).toEqual(['Tổng hợp', ...kpis.map((k, i) => `${i + 1}. ${k.id}`.slice(0, 31)), coverageSheet, systemSheet]);
    const summary = sheets[0]!.data;
    expect(String(summary[0]![0])).toMatch(/^UBND THÀNH PHỐ THỬ — Báo cáo kết quả đến 15\/8\/2022/);
    expect(summary[1]).toEqual(expect.arrayContaining(['Địa bàn', 'Thành phố Thử']));
    expect(summary[2]![0]).toBe('Kỳ báo cáo: 30/01/2022 – 14/08/2022');
    expect(summary[3]![0]).toBe('Nguồn số liệu');
    expect(summary[4]![0]).toBe('Số liệu tính đến');
    expect(summary[4]![1]).toBeInstanceOf(Date);
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
    expect(online.slice(4, 10)).toEqual([0.6, 0.5, 'Tối thiểu', 'Đạt', 'Tăng (tốt lên)', 'Kế hoạch (NQ 11/NQ-CP)']);
    expect(rows.find((r) => r[0] === 'capacity-oxygen-occupancy' && r[2] === 'Tầng 2')!.slice(4, 8)).toEqual([0.9, 0.85, 'Không vượt quá', 'Không đạt']);
    // coverage of adults: its denominator is the census of 18+
    expect(rows.find((r) => r[0] === 'vaccination-coverage-dose1')![4]).toBe(0.917);
    expect(rows.find((r) => r[0] === 'vaccination-coverage-dose1')![11]).toBe(2000);

    // the online-share sheet: its monthly series, months starting on the 1st local
    const sheet = sheets.find((s) => s.sheet.endsWith('. dossiers-online-share'))!.data;
    expect(sheet[1]).toEqual(['Kỳ (bắt đầu)', 'Phạm vi', 'Giá trị', 'Mục tiêu', 'Kết quả']);
    expect(sheet.slice(2).map((r) => [r[0], r[2], r[4]])).toEqual([
      [new Date('2022-03-01T00:00:00Z'), 0.45, 'Không đạt'],
      [new Date('2022-05-01T00:00:00Z'), 0.7, 'Đạt'],
    ]);

    // a series' first bucket starts with the period (30/01), not at the start of its month
    const coverageSeries = sheets.find((s) => s.sheet.endsWith('. vaccination-coverage-dose1'))!.data;
    expect(coverageSeries.slice(2).map((r) => [r[0], r[2]])).toEqual([
      [new Date('2022-01-30T00:00:00Z'), 0],
      [new Date('2022-02-01T00:00:00Z'), 0.6],
      [new Date('2022-04-01T00:00:00Z'), 0.917],
    ]);

    // missing data: dossiers on 2 of the 197 local days; the first missing run starts on the first day
    const missing = sheets.find((s) => s.sheet === coverageSheet)!.data;
    const dossierRuns = missing.filter((r) => r[0] === 'Hồ sơ thủ tục hành chính');
    expect(dossierRuns[0]!.slice(1, 6)).toEqual([197, 2, 2, new Date('2022-01-30T00:00:00Z'), new Date('2022-03-09T00:00:00Z')]);
    expect(dossierRuns).toHaveLength(3);
  });

  it('PDF: opens, titled as a city report, with every KPI name, its figures in vi-VN, the opening balance, missing days and the IOC section', async () => {
    const res = await get('/api/v1/reports/evaluation?report=2022-08-15&format=pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(mkdtempSync(join(tmpdir(), 'haidang-report-')), 'report.pdf');
    writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('UBND THÀNH PHỐ THỬ');
    expect(text).toContain('BÁO CÁO ĐÁNH GIÁ KẾT QUẢ');
    expect(text).toContain('từ 30/01/2022 đến 14/08/2022');
    for (const k of kpis) expect(text).toContain(k.name.vi);
    // online share 60,0% (met), tier-2 oxygen 90,0% against ≤ 85,0%, 1.834 doses
    expect(text).toMatch(/Toàn thành phố 60,0% tối thiểu 50,0% Đạt Tăng \(tốt lên\)/);
    expect(text).toMatch(/Tầng 2 90,0% không vượt quá 85,0% Không đạt/);
    expect(text).toContain('1.834');
    expect(text).toContain('91,7%');
    expect(text).toContain('Tỷ lệ tiêm mũi 1 (từ 18 tuổi): chưa có số dư đầu kỳ: chỉ tính các mũi tiêm hệ thống đã nhận; mẫu số 2.000 người');
    expect(text).toContain('III. SỐ LIỆU CÒN THIẾU TRONG KỲ');
    expect(text).toMatch(/Hồ sơ thủ tục hành chính: có số liệu 2\/197 ngày; thiếu 195 ngày: 30\/01\/2022–09\/03\/2022, 11\/03\/2022–09\/05\/2022, 11\/05\/2022–14\/08\/2022\./);
    expect(text).toContain('IV. ĐÁNH GIÁ HOẠT ĐỘNG CỦA HỆ THỐNG IOC');
  });

  it('the preview of a period that includes today: the IOC’s own figures — on time, refused and why, freshness, alerts and how fast acknowledged', async () => {
    const today = localDate(new Date(), tz);
    const yesterday = localDate(new Date(Date.now() - 86_400_000), tz);
    const res = await get(`/api/v1/reports/evaluation/preview?from=${yesterday}&to=${today}`);
    expect(res.statusCode).toBe(200);
    const p = res.json();
    const cap = p.system.streams.find((s: { stream: string }) => s.stream === 'capacity');
    expect(cap).toMatchObject({ reports: 3, sources: 1, onTime: 2, cadenceSeconds: 3600 });
    expect(p.system.rejections).toEqual([{ stream: 'prices', reason: 'HD_EVENT_INVALID', count: 1 }]);
    expect(p.system.rejectedShare).toBe(0.25);
    expect(p.system.alerts).toEqual([{ rule: 'price-jump', severity: 'warning', raised: 1, acknowledged: 1, resolved: 0, medianAckSeconds: 360, p90AckSeconds: 360 }]);
    expect(p.coverage.find((c: { stream: string }) => c.stream === 'vaccination')).toMatchObject({ daysWithData: 0, missing: [{ from: yesterday, to: today }] });
    // the workbook's IOC sheet says the same
    const sheets = await readExcelFile((await get(`/api/v1/reports/evaluation?from=${yesterday}&to=${today}&format=xlsx`)).rawPayload);
    const ioc = sheets.find((s) => s.sheet === systemSheet)!.data;
    expect(ioc.find((r) => r[0] === 'Công suất giường điều trị')!.slice(1, 6)).toEqual([3, 1, 1, 2, 2 / 3]);
    expect(ioc.find((r) => r[0] === 'Giá hàng thiết yếu' && r[1] === 'HD_EVENT_INVALID')![2]).toBe(1);
    expect(ioc.find((r) => r[0] === 'price-jump')!.slice(2, 6)).toEqual([1, 1, 0, 6]);
  });

  it('an evaluator’s own period, in local days; audit-logged; refused to other roles and for bad periods', async () => {
    const res = await get('/api/v1/reports/evaluation?from=2022-03-01&to=2022-03-31&format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename="haidang-evaluation_2022-03-01_2022-03-31_generated-/);
    const [summary] = await readExcelFile(res.rawPayload);
    expect(summary!.data[2]![0]).toBe('Kỳ báo cáo: 01/03/2022 – 31/03/2022');
    expect(summary!.data.slice(summaryTitleRows + 1).find((r) => r[0] === 'dossiers-online-share')![4]).toBe(0.45);
    const audit = (await get('/api/v1/audit?action=export', 'admin')).json().entries;
    expect(audit.filter((e: { target: string }) => e.target === 'evaluation-report').length).toBeGreaterThanOrEqual(3);
    expect((await get('/api/v1/reports/evaluation?report=2022-08-15', 'operator')).statusCode).toBe(403);
    expect((await get('/api/v1/reports/evaluation?report=2022-08-15', 'health')).statusCode).toBe(403);
    expect((await get('/api/v1/reports/evaluation?report=2022-08-15&format=docx')).json().errors[0].field).toBe('querystring.format');
    expect((await get('/api/v1/reports/evaluation?from=2022-03-01T00:00:00Z')).json().errors[0].field).toBe('querystring.report');
    expect((await get('/api/v1/reports/evaluation?from=2010-01-01T00:00:00Z&to=2022-01-01T00:00:00Z')).json().errors[0].field).toBe('querystring.from');
    expect((await get('/api/v1/reports/evaluation?from=2022-03-31&to=2022-03-01')).json().errors[0].field).toBe('querystring.from');
  });
});
