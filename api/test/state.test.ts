import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataStreams } from '@haidang/stream';
import { capacity, doses, dossiers, price } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
const get = async (url: string, role: Parameters<TestApi['cookieFor']>[0] = 'operator') => api.app.inject({ method: 'GET', url, headers: { cookie: await api.cookieFor(role) } });

beforeAll(async () => {
  api = await startTestApi();
  const now = Date.now();
  const ago = (h: number) => new Date(now - h * 3_600_000).toISOString();
  const today = now - (now % 86_400_000);
  await api.store_events([
    capacity('f-a', ago(3), { tier: 2, oxygenTotal: 10, oxygenOccupied: 5 }),
    capacity('f-a', ago(1), { tier: 2, oxygenTotal: 10, oxygenOccupied: 9 }),
    capacity('f-b', ago(1), { tier: 2, oxygenTotal: 20, oxygenOccupied: 10 }),
    capacity('f-c', ago(1), { tier: 3, oxygenTotal: 5, oxygenOccupied: 5 }),
    // 7 days of pork at 100k at market 1 (noon UTC of each of the 6 days before today), then
    // 120k now — today's own daily bucket even in the first half hour after midnight UTC, when
    // "half an hour ago" is still yesterday (the test failed at 00:10 UTC when it was)
    ...[6, 5, 4, 3, 2, 1].map((d) => price('m-1', new Date(today - d * 86_400_000 + 12 * 3_600_000).toISOString(), 'pork', 100_000)),
    price('m-1', new Date(Math.max(today, now - 1_800_000)).toISOString(), 'pork', 120_000),
    price('m-2', ago(0.5), 'pork', 90_000),
    doses('w1', ago(30), 1, 300),
    doses('w1', ago(2), 1, 200),
    doses('w1', ago(2), 2, 100),
    doses('w2', ago(2), 1, 1000),
    dossiers('ag-1', ago(5), { received: 10, online: 6, onTime: 8, late: 2 }),
    dossiers('ag-1', ago(1), { received: 10, online: 2, onTime: 5, late: 0 }),
  ]);
});
afterAll(async () => api.close());

describe('current state', () => {
  it('capacity per facility and tier, latest report, most free oxygen beds first', async () => {
    const res = await get('/api/v1/capacity/facilities');
    expect(res.statusCode).toBe(200);
    const f = res.json().facilities;
    expect(f.map((x: { facility: string; freeOxygenBeds: number }) => [x.facility, x.freeOxygenBeds])).toEqual([
      ['f-b', 10],
      ['f-a', 1],
      ['f-c', 0],
    ]);
    expect(f[0]).toMatchObject({ name: 'Facility B', ward: 'w2', tier: 2, oxygenOccupancy: 0.5 });
  });

  it('capacity filters by tier and ward and sorts on request', async () => {
    const t2 = (await get('/api/v1/capacity/facilities?tier=2&sort=oxygenOccupancy&order=desc')).json().facilities;
    expect(t2.map((x: { facility: string }) => x.facility)).toEqual(['f-a', 'f-b']);
    const w2 = (await get('/api/v1/capacity/facilities?ward=w2', 'health')).json().facilities;
    expect(w2.map((x: { facility: string }) => x.facility).sort()).toEqual(['f-b', 'f-c']);
  });

  it('bad parameters are 400 naming the field', async () => {
    for (const [url, field] of [
      ['/api/v1/capacity/facilities?tier=4', 'querystring.tier'],
      ['/api/v1/capacity/facilities?tier=', 'querystring.tier'],
      ['/api/v1/capacity/facilities?sort=evil;DROP', 'querystring.sort'],
      ['/api/v1/capacity/facilities?bogus=1', 'querystring.bogus'],
      ['/api/v1/capacity/series?step=2m', 'querystring.step'],
      ['/api/v1/capacity/series?from=yesterday', 'querystring.from'],
      ['/api/v1/capacity/series?from=2022-08-15T00:00:00Z&to=2022-08-14T00:00:00Z', 'querystring.from'],
      ['/api/v1/capacity/series?from=2000-01-01T00:00:00Z&to=2022-08-14T00:00:00Z&step=1m', 'querystring.step'],
      ['/api/v1/vaccination/series?dose=0', 'querystring.dose'],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field), url).toContain(field);
    }
  });

  it('refuses without a session (401) and for a role that may not see the stream (403)', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/capacity/facilities' })).statusCode).toBe(401);
    expect((await get('/api/v1/prices/markets', 'health')).statusCode).toBe(403);
    expect((await get('/api/v1/dossiers/agencies', 'health')).statusCode).toBe(403);
  });

  it('capacity series per tier from the rollups', async () => {
    const res = await get('/api/v1/capacity/series?step=1d&tier=2');
    expect(res.statusCode).toBe(200);
    const points = res.json().points;
    const last = points.at(-1);
    // the day's last report of each tier-2 facility: f-a 9/10, f-b 10/20
    expect(last).toMatchObject({ tier: 2, oxygenBedsTotal: 30, oxygenBedsOccupied: 19, facilities: 2 });
  });

  it('vaccination per ward with coverage against the ward population', async () => {
    const wr = await get('/api/v1/vaccination/wards', 'health');
    const w = wr.json().wards;
    expect(w).toEqual([
      expect.objectContaining({ ward: 'w1', doses: 600, dose1: 500, dose2: 100, coverageDose1: 0.5, population: 1000 }),
      expect.objectContaining({ ward: 'w2', doses: 1000, dose1: 1000, coverageDose1: 0.5 }),
    ]);
    const s = (await get('/api/v1/vaccination/series?step=1d&ward=w1&dose=1')).json().points;
    expect(s.reduce((a: number, p: { doses: number }) => a + p.doses, 0)).toBe(500);
  });

  it('prices with deviation from the 7-day median, or the pack baseline when there is no history', async () => {
    const p = (await get('/api/v1/prices/markets?commodity=pork')).json().prices;
    expect(p).toEqual([
      expect.objectContaining({ market: 'm-1', priceVnd: 120_000, baselineVnd: 100_000, baselineSource: 'median-7d' }),
      expect.objectContaining({ market: 'm-2', priceVnd: 90_000, baselineVnd: 100_000, baselineSource: 'city-pack' }),
    ]);
    expect(p[0].deviation).toBeCloseTo(0.2);
    expect(p[1].deviation).toBeCloseTo(-0.1);
    const s = (await get(`/api/v1/prices/series?step=1d&market=m-1&from=${encodeURIComponent(new Date(Date.now() - 8 * 86_400_000).toISOString())}`)).json().points;
    expect(s.length).toBeGreaterThanOrEqual(7);
    expect(s.at(-1).priceVnd).toBe(120_000);
  });

  it('dossiers per agency: throughput, online share, on-time rate', async () => {
    const ar = await get('/api/v1/dossiers/agencies');
    const a = ar.json().agencies;
    expect(a).toEqual([expect.objectContaining({ agency: 'ag-1', received: 20, receivedOnline: 8, onlineShare: 0.4, resolved: 15, onTimeRate: 13 / 15 })]);
    const s = (await get('/api/v1/dossiers/series?step=1h')).json().points;
    expect(s.reduce((x: number, p: { received: number }) => x + p.received, 0)).toBe(20);
  });

  it('freshness per stream says when each was last heard from', async () => {
    const f = (await get('/api/v1/freshness')).json().streams;
    // every stream of the registry, in its order
    expect(f.map((s: { stream: string }) => s.stream)).toEqual([...dataStreams]);
    // the four this test stored have been heard from (a stream never heard from is stale by definition)
    for (const s of f.filter((x: { stream: string }) => ['capacity', 'vaccination', 'prices', 'dossiers'].includes(x.stream))) {
      expect(s.lastReceivedAt).not.toBeNull();
      // silence counts only inside the stream's reporting hours (the pack's cadence)
      expect(s.stale).toBe(s.silentReportingSeconds > 2 * s.cadenceSeconds);
    }
  });
});

describe('replay: the city as it was known at an instant', () => {
  it('capacity per facility at a past instant is the newest report observed before it among those received by then, in one request', async () => {
    const at = new Date(Date.now() - 2 * 3_600_000).toISOString();
    // a report about 2.5 h ago that only arrived half an hour ago was not on the wall at `at`
    await api.store_events([capacity('f-b', new Date(Date.now() - 2.5 * 3_600_000).toISOString(), { tier: 2, oxygenTotal: 20, oxygenOccupied: 1, receivedAt: new Date(Date.now() - 0.5 * 3_600_000).toISOString() })]);
    const res = await get(`/api/v1/capacity/facilities/at?at=${encodeURIComponent(at)}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().facilities.map((f: { facility: string; freeOxygenBeds: number }) => [f.facility, f.freeOxygenBeds])).toEqual([['f-a', 5]]);
    expect((await get('/api/v1/capacity/facilities/at?at=yesterday')).statusCode).toBe(400);
  });

  it('doses per ward up to a past instant', async () => {
    const to = new Date(Date.now() - 10 * 3_600_000).toISOString();
    const w = (await get(`/api/v1/vaccination/wards?to=${encodeURIComponent(to)}`)).json().wards;
    expect(w).toEqual([expect.objectContaining({ ward: 'w1', dose1: 300, dose2: 0 })]);
  });
});
