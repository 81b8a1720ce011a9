import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastSeries } from '../src/forecast/damped-trend.ts';
import { capacity } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

const hours = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('capacity forecast model', () => {
  it('time to full is right on linear rises, from a long or a short history', () => {
    // 0.5 bed an hour, at 119.5 now, 150 beds: full in 61 h
    expect(forecastSeries(hours(200, (i) => 20 + 0.5 * i), 150, 72).hoursToFull).toBeCloseTo(61, 5);
    // 2 beds an hour for 10 days, 30 beds free: 15 h
    expect(forecastSeries(hours(240, (i) => 2 * i - 408), 100, 72).hoursToFull).toBeCloseTo(15, 5);
    // already full; flat well below capacity; falling
    expect(forecastSeries(hours(100, () => 50), 50, 72).hoursToFull).toBe(0);
    expect(forecastSeries(hours(100, () => 20), 50, 72).hoursToFull).toBeNull();
    expect(forecastSeries(hours(100, (i) => 90 - 0.5 * i), 100, 72).hoursToFull).toBeNull();
    // a rise too slow to fill within the horizon is "not within 72 h"
    expect(forecastSeries(hours(200, (i) => 10 + 0.1 * i), 100, 72).hoursToFull).toBeNull();
  });

  it('never below zero nor above capacity, the band around the point', () => {
    for (const y of [hours(200, (i) => 5 * i), hours(200, (i) => Math.max(0, 300 - 3 * i)), hours(5, (i) => 10 - 2 * i), [0]]) {
      const f = forecastSeries(y, 400, 72);
      for (const p of f.points) {
        expect(p.low).toBeGreaterThanOrEqual(0);
        expect(p.high).toBeLessThanOrEqual(400);
        expect(p.low).toBeLessThanOrEqual(p.value);
        expect(p.value).toBeLessThanOrEqual(p.high);
      }
    }
  });

  it('on a noisy synthetic wave the truth stays within stated bounds of the forecast', () => {
    // a Gaussian wave on 200 beds (peak at hour 400, ~5 days wide) plus deterministic ±3-bed noise
    const truth = (i: number) => 30 + 150 * Math.exp(-(((i - 400) / 120) ** 2));
    const noise = (i: number) => 3 * Math.sin(i * 12.9898) * Math.cos(i * 78.233);
    const y = hours(700, (i) => truth(i) + noise(i));
    const errs24: number[] = [];
    const naive24: number[] = [];
    for (let o = 336; o + 72 < y.length; o += 12) {
      const f = forecastSeries(y.slice(o - 335, o + 1), 200, 72);
      errs24.push(Math.abs(f.points[23]!.value - truth(o + 24)));
      naive24.push(Math.abs(y[o]! - truth(o + 24)));
      // the 72-h point is never further than 60 beds (30% of capacity) from the truth on this wave
      expect(Math.abs(f.points[71]!.value - truth(o + 72))).toBeLessThan(60);
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    // 24 h ahead: within 8 beds on average, and better than "same as now"
    expect(mean(errs24)).toBeLessThan(8);
    expect(mean(errs24)).toBeLessThan(mean(naive24));
  });
});

describe('GET /api/v1/capacity/forecast', () => {
  let api: TestApi;
  const get = async (url: string, role: Parameters<TestApi['cookieFor']>[0] = 'health') => api.app.inject({ method: 'GET', url, headers: { cookie: await api.cookieFor(role) } });
  const t0 = Date.parse('2022-07-01T00:00:00Z');
  const at = (h: number) => new Date(t0 + h * 3_600_000).toISOString();

  beforeAll(async () => {
    api = await startTestApi();
    // 4 days hourly: f-a (tier 2) fills 1 oxygen bed an hour from 4 of 150; f-b (tier 2) steady 10/50; f-c (tier 3) steady
    const events = [];
    for (let h = 0; h < 96; h++) {
      events.push(capacity('f-a', at(h), { tier: 2, oxygenTotal: 150, oxygenOccupied: 4 + h, beds: 200 }));
      events.push(capacity('f-b', at(h), { tier: 2, oxygenTotal: 50, oxygenOccupied: 10, beds: 60 }));
      events.push(capacity('f-c', at(h), { tier: 3, oxygenTotal: 20, oxygenOccupied: 5 }));
    }
    await api.store_events(events);
    await api.app.inject({ method: 'GET', url: '/api/v1/health' });
  }, 120_000);
  afterAll(async () => api?.close());

  it('a facility: hourly points with a band, time to full, the method line', async () => {
    const res = await get('/api/v1/capacity/forecast?facility=f-a&hours=72');
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f).toMatchObject({ scope: { kind: 'facility', facility: 'f-a', name: 'Facility A' }, asOf: at(95), hours: 72 });
    expect(f.oxygenBeds).toMatchObject({ capacity: 150, current: 99 });
    expect(f.oxygenBeds.points).toHaveLength(72);
    expect(f.oxygenBeds.points[0]).toMatchObject({ t: at(96), value: 100 });
    // 51 beds free, one more an hour: full in 51 h
    expect(f.oxygenBeds.timeToFull).toMatchObject({ hours: 51, at: at(95 + 51), text: { en: 'full in about 51 h' } });
    expect(f.oxygenBeds.method.en).toMatch(/^Trend of the last \d+ h, .*band = 80% of past errors$/);
    expect(f.oxygenBeds.method.vi).toMatch(/^Xu hướng/);
    expect(Math.max(...f.oxygenBeds.points.map((p: { high: number }) => p.high))).toBe(150);
  });

  it('a tier and the city sum their facilities; a steady scope is "not within 72 h"', async () => {
    const tier = (await get('/api/v1/capacity/forecast?tier=2')).json();
    expect(tier.oxygenBeds).toMatchObject({ capacity: 200, current: 109 });
    // 91 beds free at one an hour: beyond the horizon
    expect(tier.oxygenBeds.timeToFull).toMatchObject({ hours: null, at: null, text: { en: 'not within 72 h' } });
    const tier3 = (await get('/api/v1/capacity/forecast?tier=3&hours=24', 'operator')).json();
    expect(tier3.oxygenBeds.timeToFull).toMatchObject({ hours: null, text: { en: 'not within 24 h' } });
    expect(tier3.oxygenBeds.points.every((p: { value: number }) => p.value === 5)).toBe(true);
    const city = (await get('/api/v1/capacity/forecast', 'admin')).json();
    expect(city).toMatchObject({ scope: { kind: 'city' }, facilities: 3 });
    expect(city.oxygenBeds.capacity).toBe(220);
  });

  it('roles, unknown facility and bad parameters', async () => {
    expect((await get('/api/v1/capacity/forecast', 'evaluator')).statusCode).toBe(403);
    const none = await get('/api/v1/capacity/forecast?facility=nowhere');
    expect(none.statusCode).toBe(404);
    expect(none.json().errors[0].field).toBe('querystring.facility');
    expect((await get('/api/v1/capacity/forecast?hours=500')).json().errors[0].field).toBe('querystring.hours');
    expect((await get('/api/v1/capacity/forecast?tier=2&facility=f-a')).json().errors[0].field).toBe('querystring.tier');
  });

  it('fires "tier-2 oxygen beds full within 24 h" once the forecast says so', async () => {
    const alerts = async () => (await get('/api/v1/alerts', 'operator')).json();
    // f-b starts filling fast: 3 beds an hour on top of f-a's one → tier 2 fills within a day
    const more = [];
    for (let h = 96; h < 104; h++) {
      more.push(capacity('f-a', at(h), { tier: 2, oxygenTotal: 150, oxygenOccupied: 4 + h, beds: 200 }));
      more.push(capacity('f-b', at(h), { tier: 2, oxygenTotal: 50, oxygenOccupied: Math.min(50, 10 + 3 * (h - 95)), beds: 60 }));
    }
    for (const e of more) await api.store_events([e]);
    await expect
      .poll(async () => JSON.stringify(await alerts()), { timeout: 60_000, interval: 500 })
      .toMatch(/tier2-oxygen-full-24h/);
    const list = await alerts();
    const episodes = (list.alerts ?? list.episodes ?? list).filter((e: { ruleId: string }) => e.ruleId === 'tier2-oxygen-full-24h');
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ entity: 'city', series: 'tier-2', state: 'firing', threshold: 24 });
    expect(episodes[0].value).toBeLessThan(24);
  }, 120_000);
});
