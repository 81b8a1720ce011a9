import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { HaiDangError } from '@haidang/stream';
import { ReadPath, readPathOf } from '../src/state/read-path.ts';
import { capacity } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
let cookie: string;
const facilities = async () => {
  const res = await api.app.inject({ method: 'GET', url: '/api/v1/capacity/facilities', headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().facilities as Array<{ facility: string }>).map((f) => f.facility).sort();
};
const reads = () => readPathOf(api.app.store)!;
const ago = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

beforeAll(async () => {
  api = await startTestApi();
  cookie = await api.cookieFor('operator');
  await api.store_events([capacity('f-a', ago(1), { tier: 2, oxygenTotal: 10, oxygenOccupied: 5 })]);
  for (let i = 0; i < 100 && (await facilities()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => api.close());

describe('the api read path (embedded, fed by the processor)', () => {
  it('answers identical requests in flight with one query, and builds their answer once', async () => {
    await api.store_events([capacity('f-b', ago(1), { tier: 2, oxygenTotal: 20, oxygenOccupied: 10 })]);
    for (let i = 0; i < 100 && !(await facilities()).includes('f-b'); i++) await new Promise((r) => setTimeout(r, 100));
    reads().stored('capacity');
    const before = { ...reads().counters };
    const answers = await Promise.all(Array.from({ length: 6 }, facilities));
    expect(new Set(answers.map((a) => a.join()))).toEqual(new Set(['f-a,f-b']));
    expect(reads().counters.queries - before.queries).toBe(1);
    expect(reads().counters.answersBuilt - before.answersBuilt).toBe(1);
    expect(reads().counters.answersServed - before.answersServed).toBe(5);
    // another question about the same rows is an answer of its own
    const asc = await api.app.inject({ method: 'GET', url: '/api/v1/capacity/facilities?order=asc', headers: { cookie } });
    expect(asc.json().facilities.map((f: { facility: string }) => f.facility)).toEqual(['f-a', 'f-b']);
    expect(reads().counters.answersBuilt - before.answersBuilt).toBe(2);
  });

  it('serves a kept answer only to a session that may read it, and never keeps a refusal', async () => {
    const url = '/api/v1/capacity/facilities';
    expect((await api.app.inject({ method: 'GET', url, headers: { cookie } })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    // a KPI series kept for an operator is still refused to the health centre (no KPIs for that role)
    const kpi = `/api/v1/kpi/capacity-oxygen-occupancy/series?from=${ago(48)}&to=${ago(0)}&step=1h`;
    for (let i = 0; i < 2; i++) expect((await api.app.inject({ method: 'GET', url: kpi, headers: { cookie } })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url: kpi, headers: { cookie: await api.cookieFor('health') } })).statusCode).toBe(403);
    const bad = '/api/v1/capacity/series?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z&step=1h';
    for (let i = 0; i < 2; i++) {
      const res = await api.app.inject({ method: 'GET', url: bad, headers: { cookie } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: expect.any(String) });
    }
  });

  it('keeps an answer until the processor stores the next batch of that stream', async () => {
    const first = await facilities();
    // a row written behind the processor's back (no stored batch): the kept answer is served
    await api.store.client.command({
      query: `INSERT INTO capacity_raw (id, source, entity, observed_at, received_at, version, log_partition, log_offset, tier, beds_total, beds_occupied, oxygen_beds_total, oxygen_beds_occupied)
              VALUES (generateUUIDv4(), 'test', 'f-behind', now64(3) - 60, now64(3) - 60, 1, 0, 1000000, 3, 5, 1, 5, 1)`,
    });
    expect(await facilities()).toEqual(first);
    // a batch of another stream leaves it kept
    reads().stored('prices');
    expect(await facilities()).toEqual(first);
    // the processor stores a capacity batch: the next request reads the store again
    await api.store_events([capacity('f-c', ago(1), { tier: 3, oxygenTotal: 5, oxygenOccupied: 5 })]);
    let now = await facilities();
    for (let i = 0; i < 100 && !now.includes('f-c'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await facilities();
    }
    expect(now).toEqual(['f-a', 'f-b', 'f-behind', 'f-c']);
  });

  it('keeps the answer about a range that ended before a stored batch was observed, and rebuilds one the batch falls in', async () => {
    const past = `/api/v1/capacity/series?from=${ago(72)}&to=${ago(48)}&step=1h`;
    const recent = `/api/v1/capacity/series?from=${ago(24)}&to=${ago(-1)}&step=1h`;
    const get = async (url: string) => {
      const res = await api.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(res.statusCode, res.body).toBe(200);
      return res.body;
    };
    await get(past);
    const recentBefore = await get(recent);
    const built = reads().counters.answersBuilt;
    // a report observed an hour ago: inside the recent range, after the past one ended
    await api.store_events([capacity('f-d', ago(1), { tier: 1, oxygenTotal: 8, oxygenOccupied: 2 })]);
    await get(past);
    expect(reads().counters.answersBuilt, 'the past range is still answered from the kept text').toBe(built);
    let recentAfter = await get(recent);
    for (let i = 0; i < 100 && recentAfter === recentBefore; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recentAfter = await get(recent);
    }
    expect(recentAfter).not.toBe(recentBefore);
    expect(reads().counters.answersBuilt).toBeGreaterThan(built);
    // a late report about the past range (a backfill) drops that answer too
    await api.store_events([capacity('f-d', ago(60), { tier: 1, oxygenTotal: 8, oxygenOccupied: 3 })]);
    const again = reads().counters.answersBuilt;
    await get(past);
    expect(reads().counters.answersBuilt).toBe(again + 1);
  });

  it('stops a read past max_execution_time and answers 503 HD_STORE_BUSY with Retry-After', async () => {
    // the route's own read, swapped for one the engine cannot finish in time (the real engine
    // raises the real TIMEOUT_EXCEEDED under the SETTINGS clause the read path adds)
    const client = api.store.client as ClickHouseClient & { query: ClickHouseClient['query'] };
    const real = client.query.bind(client);
    client.query = ((p: Parameters<ClickHouseClient['query']>[0]) =>
      real({
        ...p,
        query: p.query.includes('max_execution_time')
          ? `SELECT * FROM (SELECT count() AS n FROM numbers(1000000000000) WHERE sipHash64(number) % 7 = 1) SETTINGS max_execution_time = 0.3, timeout_overflow_mode = 'throw'`
          : p.query,
      })) as ClickHouseClient['query'];
    reads().stored('capacity');
    const before = reads().counters.timedOut;
    try {
      const res = await api.app.inject({ method: 'GET', url: '/api/v1/capacity/facilities', headers: { cookie } });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe(String(reads().retryAfterSeconds));
      expect(res.json()).toMatchObject({ status: 503, code: 'HD_STORE_BUSY' });
      expect(reads().counters.timedOut).toBe(before + 1);
    } finally {
      client.query = real as ClickHouseClient['query'];
    }
    // a failed read is not kept: the next request is answered
    expect(await facilities()).toContain('f-a');
  });
});

describe('an api not told when batches are stored', () => {
  it('asks again once the short ceiling passed (serving the kept answer while that one query runs), identical reads in flight sharing one query', async () => {
    const path = new ReadPath(api.store.client, { ttlMs: 0 });
    const sql = `SELECT entity FROM capacity_latest FINAL ORDER BY entity`;
    const together = await Promise.all([path.rows(sql, {}, ['capacity']), path.rows(sql, {}, ['capacity'])]);
    expect(together[0]).toEqual(together[1]);
    expect(path.counters).toMatchObject({ queries: 1, shared: 1 });
    await new Promise((r) => setTimeout(r, 5));
    // past the ceiling: the kept answer, and one refresh for the three requests of that moment
    const [a, b, c] = await Promise.all([path.rows(sql, {}, ['capacity']), path.rows(sql, {}, ['capacity']), path.rows(sql, {}, ['capacity'])]);
    expect(a).toBe(together[0]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(path.counters.queries).toBe(2);
    // once refreshed, the new answer is served
    for (let i = 0; i < 100 && (await path.rows(sql, {}, ['capacity'])) === a; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await path.rows(sql, {}, ['capacity'])).toEqual(a);
    expect(await path.rows(sql, {}, ['capacity'])).not.toBe(a);
  });

  it('keeps answers within their byte bound, the oldest going first, and drops them with a stored batch of their stream', async () => {
    const path = new ReadPath(api.store.client, { maxAnswerBytes: 100 });
    let builds = 0;
    const build = async () => ({ n: ++builds, text: 'x'.repeat(30) });
    expect(JSON.parse(await path.answer('a', ['capacity'], build))).toMatchObject({ n: 1 });
    expect(JSON.parse(await path.answer('a', ['capacity'], build))).toMatchObject({ n: 1 });
    await path.answer('b', ['capacity'], build);
    await path.answer('c', ['prices'], build); // past 100 bytes: 'a' goes
    expect(JSON.parse(await path.answer('b', ['capacity'], build))).toMatchObject({ n: 2 });
    // 'a' again, built again: now 'c', the least recently used, goes
    expect(JSON.parse(await path.answer('a', ['capacity'], build))).toMatchObject({ n: 4 });
    expect(JSON.parse(await path.answer('b', ['capacity'], build))).toMatchObject({ n: 2 });
    path.stored('capacity');
    expect(JSON.parse(await path.answer('a', ['capacity'], build))).toMatchObject({ n: 5 });
    expect(JSON.parse(await path.answer('c', ['prices'], build))).toMatchObject({ n: 6 });
    expect(JSON.parse(await path.answer('c', ['prices'], build))).toMatchObject({ n: 6 });
    path.stored('capacity');
    expect(JSON.parse(await path.answer('c', ['prices'], build))).toMatchObject({ n: 6 });
  });

  it('a timed-out read is an HD_STORE_BUSY error that says to retry', async () => {
    const path = new ReadPath(api.store.client, { timeoutSeconds: 0.2, retryAfterSeconds: 3 });
    const err = await path.rows('SELECT count() FROM numbers(1000000000000) WHERE sipHash64(number) % 7 = 1', {}, ['capacity']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HaiDangError);
    expect(err).toMatchObject({ code: 'HD_STORE_BUSY', retryable: true, status: 503, context: { retryAfterSeconds: 3 } });
  });
});
