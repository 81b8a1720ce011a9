import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeCell } from '../src/export/cell-escape.ts';
import { capacity, doses, dossiers, price } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
const get = async (url: string, role: Parameters<TestApi['cookieFor']>[0] = 'evaluator') => api.app.inject({ method: 'GET', url, headers: { cookie: await api.cookieFor(role) } });
const day = (d: string) => `${d}T10:00:00+07:00`;

beforeAll(async () => {
  api = await startTestApi();
  const risky = price('m-2', day('2022-08-02'), 'pork', 95_000);
  risky.source = '@cmd';
  await api.store_events([
    // dossiers before the 15 Aug 2022 report: 60% online (target ≥ 50%: met), 90% on time (target ≥ 95%: not met)
    dossiers('ag-1', day('2022-08-01'), { received: 60, online: 30, onTime: 50, late: 10 }),
    dossiers('ag-1', day('2022-08-02'), { received: 40, online: 30, onTime: 40, late: 0 }),
    // tier 2 ends the period at 19/20 = 95% (target ≤ 85%: not met); tier 3 at 2/5
    capacity('f-a', day('2022-08-10'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 9 }),
    capacity('f-b', day('2022-08-10'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 8 }),
    capacity('f-a', day('2022-08-14'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 10 }),
    capacity('f-b', day('2022-08-14'), { tier: 2, oxygenTotal: 10, oxygenOccupied: 9 }),
    capacity('f-c', day('2022-08-14'), { tier: 3, oxygenTotal: 5, oxygenOccupied: 2 }),
    // 1,500 first doses for 3,000 people: 50% (target ≥ 95%: not met)
    doses('w1', day('2022-03-01'), 1, 500),
    doses('w2', day('2022-04-01'), 1, 1000),
    doses('w2', day('2022-04-01'), 2, 100),
    // pork at 100k for a week, then 120k: 20% above the 7-day median (target ≤ 10%: not met)
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => price('m-1', day(`2022-08-${d}`), 'pork', 100_000)),
    price('m-1', day('2022-08-08'), 'pork', 120_000),
    risky,
  ]);
});
afterAll(async () => api.close());

describe('KPIs', () => {
  it('lists the KPIs with targets and the plan’s report periods', async () => {
    const res = await get('/api/v1/kpi');
    expect(res.statusCode).toBe(200);
    const ids = res.json().kpis.map((k: { id: string }) => k.id);
    expect(ids).toEqual(expect.arrayContaining(['capacity-oxygen-occupancy', 'dossiers-online-share', 'dossiers-on-time-rate', 'vaccination-doses', 'vaccination-coverage-dose1', 'prices-deviation']));
    expect(res.json().reportPeriods.map((p: { id: string }) => p.id)).toEqual(['2022-08-15', '2023-08', '2024-04']);
  });

  it('evaluates the 15 Aug 2022 report period with known answers', async () => {
    const res = await get('/api/v1/kpi/evaluation?report=2022-08-15');
    expect(res.statusCode).toBe(200);
    const r = res.json().results as Array<{ kpi: string; series: string; actual: number | null; met: boolean | null }>;
    const of = (kpi: string, series = '') => r.find((x) => x.kpi === kpi && x.series === series)!;
    expect(of('dossiers-online-share')).toMatchObject({ actual: 0.6, met: true });
    expect(of('dossiers-on-time-rate')).toMatchObject({ actual: 0.9, met: false });
    expect(of('capacity-oxygen-occupancy', 'tier-2')).toMatchObject({ actual: 0.95, met: false });
    expect(of('capacity-oxygen-occupancy', 'tier-3')).toMatchObject({ actual: 0.4, met: true });
    expect(of('vaccination-doses')).toMatchObject({ actual: 1600, met: null });
    expect(of('vaccination-coverage-dose1')).toMatchObject({ actual: 0.5, met: false });
    expect(of('prices-deviation').actual).toBeCloseTo(0.2);
    expect(of('prices-deviation').met).toBe(false);
  });

  it('a period without data is not judged', async () => {
    const r = (await get('/api/v1/kpi/evaluation?report=2024-04&kpi=dossiers-online-share')).json().results;
    expect(r).toEqual([expect.objectContaining({ kpi: 'dossiers-online-share', actual: null, met: null })]);
  });

  it('a series per step', async () => {
    const res = await get('/api/v1/kpi/dossiers-online-share/series?from=2022-08-01T00:00:00Z&to=2022-08-03T00:00:00Z&step=1d');
    expect(res.statusCode).toBe(200);
    expect(res.json().points).toEqual([
      { t: '2022-08-01T00:00:00.000Z', series: '', value: 0.5 },
      { t: '2022-08-02T00:00:00.000Z', series: '', value: 0.75 },
    ]);
  });

  it('bad parameters name the field; unknown KPI is 404; health may not read KPIs', async () => {
    const both = await get('/api/v1/kpi/evaluation?report=2022-08-15&from=2022-01-01T00:00:00Z');
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].field).toBe('querystring.report');
    const period = await get('/api/v1/kpi/evaluation?report=2021');
    expect(period.json().errors[0].field).toBe('querystring.report');
    expect((await get('/api/v1/kpi/nope/series')).statusCode).toBe(404);
    expect((await get('/api/v1/kpi', 'health')).statusCode).toBe(403);
  });
});

describe('exports', () => {
  const range = 'from=2022-08-01T00:00:00Z&to=2022-08-09T00:00:00Z';

  it('escapes spreadsheet formulas in text cells only', () => {
    expect(['=1+1', '+1', '-1', '@x', '\tx', '\0x', 'ok', -5].map(escapeCell)).toEqual(["'=1+1", "'+1", "'-1", "'@x", "'\tx", "'\0x", 'ok', -5]);
  });

  it('raw history as CSV: named for what and when, escaped, audit-logged', async () => {
    const res = await get(`/api/v1/export/raw/prices?${range}&format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="haidang-prices-raw_2022-08-01T0000Z_2022-08-09T0000Z_generated-.*\.csv"/);
    const rows = parse(res.body, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(9);
    expect(rows[0]).toMatchObject({ entity: 'm-1', commodity: 'pork', price_vnd: '100000', observed_at: '2022-08-01T03:00:00.000Z' });
    expect(rows.find((r) => r.entity === 'm-2')!.source).toBe("'@cmd");
    const audit = await get('/api/v1/audit?action=export', 'admin');
    expect(audit.json().entries[0]).toMatchObject({ actor: 'evaluator', target: 'prices-raw' });
  });

  it('a KPI series as XLSX, read back with a real reader', async () => {
    const res = await get(`/api/v1/export/kpi/dossiers-online-share?${range}&step=1d&format=xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/haidang-kpi-dossiers-online-share-1d_.*\.xlsx"/);
    const sheet = await readSheet(res.rawPayload);
    expect(sheet[0]).toEqual(['bucket_start_utc', 'kpi', 'series', 'value', 'unit', 'target', 'direction', 'met']);
    expect(sheet.slice(1).map((r) => [r[0], r[3], r[5], r[7]])).toEqual([
      ['2022-08-01T00:00:00Z', 0.5, 0.5, true],
      ['2022-08-02T00:00:00Z', 0.75, 0.5, true],
    ]);
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

  it('refuses operators (403), bad formats and unknown streams (400 naming the field)', async () => {
    expect((await get(`/api/v1/export/raw/prices?${range}`, 'operator')).statusCode).toBe(403);
    const bad = await get(`/api/v1/export/raw/prices?${range}&format=pdf`);
    expect(bad.json().errors[0].field).toBe('querystring.format');
    const stream = await get(`/api/v1/export/raw/weather?${range}`);
    expect(stream.json().errors[0].field).toBe('params.stream');
  });
});
