import { http, HttpResponse } from 'msw';
import { beforeAll, describe, expect, it } from 'vitest';
import { useHarness, type PollHarness } from './poll-harness.ts';

const { server, harness } = useHarness();
let h: PollHarness;
beforeAll(() => {
  h = harness();
});

/** a paged export as both the registry and the portal serve it */
function pagedHandler(url: string, rows: () => Array<Record<string, unknown>>, pageSize = 2) {
  return http.get(url, ({ request }) => {
    const q = new URL(request.url).searchParams;
    const since = Date.parse(q.get('updatedSince')!);
    const page = Number(q.get('page'));
    const matching = rows().filter((r) => Date.parse(String(r.updatedAt)) >= since);
    return HttpResponse.json({ items: matching.slice((page - 1) * pageSize, page * pageSize), page, pageCount: Math.ceil(matching.length / pageSize) });
  });
}

const common = { pageSize: 2, timeoutMs: 2_000, retries: 0, minBackoffMs: 10, maxBackoffMs: 50 };

describe('immunisation registry export', () => {
  it('stores every ward/day row once across pages, re-polls and a restart; a re-issued row is a correction', async () => {
    const dose = (id: string, date: string, doses: number, updatedAt: string, version = 1) => ({ id, version, wardCode: 'T01', date, doseNumber: 3, vaccine: 'Pfizer', ageGroup: '18-49', doses, updatedAt });
    let rows = [dose('a', '2022-08-14', 10, '2022-08-15T01:00:00Z'), dose('b', '2022-08-15', 12, '2022-08-16T01:00:00Z'), dose('c', '2022-08-16', 7, '2022-08-17T01:00:00Z')];
    server.use(pagedHandler('http://niis.test/api/doses', () => rows));
    const config = { pollers: [{ name: 'niis', kind: 'immunisation-export', baseUrl: 'http://niis.test/api', ...common }] };
    const set = await h.pollers(config);
    expect(await set.runOnce()).toBe(true);
    expect(await set.runOnce()).toBe(true);
    expect(await h.stored('vaccination', 'poller:niis')).toEqual({ rows: 3, ids: 3 });
    await set.stop();

    rows = [...rows.slice(0, 2), dose('c', '2022-08-16', 9, '2022-08-17T05:00:00Z', 2)];
    const restarted = await h.pollers(config);
    expect(await restarted.runOnce()).toBe(true);
    expect(await h.stored('vaccination', 'poller:niis')).toEqual({ rows: 4, ids: 4 });
    // the day's doses count once, the correction winning (Lisbon midnight of the 17th = 23:00 UTC on the 16th)
    const rs = await h.store.client.query({ query: `SELECT sum(doses) AS d FROM vaccination_asof FINAL WHERE entity = 'T01' AND observed_at = '2022-08-16 23:00:00'`, format: 'JSONEachRow' });
    expect(Number((await rs.json<{ d: string }>())[0]!.d)).toBe(9);
  });
});

describe('price bulletins', () => {
  it('reads each day from the cursor, stores prices once, reports a bad row beside the good ones, waits for today', async () => {
    const csv: Record<string, string> = {
      '2022-08-14': 'market,commodity,unit,price_vnd,shortage\nmarket-a,salt,kg,18000,\nmarket-a,bread,ổ,"12,5",false\nmarket-a,sugar,kg,20000,\n',
      '2022-08-15': 'market,commodity,unit,price_vnd,shortage\nmarket-a,salt,kg,18500,false\n',
    };
    server.use(
      http.get('http://prices.test/bulletins/:file', ({ params }) => {
        const body = csv[String(params.file).replace('.csv', '')];
        return body ? new HttpResponse(body, { headers: { 'content-type': 'text/csv' } }) : new HttpResponse(null, { status: 404 });
      }),
    );
    const config = { pollers: [{ name: 'so-cong-thuong', kind: 'price-bulletin', baseUrl: 'http://prices.test', startDate: '2022-08-14', ...common }] };
    const now = () => new Date('2022-08-16T10:00:00Z');
    const set = await h.pollers(config, now);
    expect(await set.runOnce()).toBe(true);
    expect(await set.runOnce()).toBe(true);
    expect(await h.stored('prices', 'poller:so-cong-thuong')).toEqual({ rows: 2, ids: 2 });
    const health = set.health()[0]!;
    expect(health.cursor).toBe('2022-08-15');
    expect(health.recentRejects).toEqual(expect.arrayContaining([
      expect.objectContaining({ ref: '2022-08-14.csv line 3' }),
      expect.objectContaining({ ref: 'bulletins/2022-08-14/market-a/sugar', reason: 'commodity sugar is not in the city pack (salt, bread)' }),
    ]));

    // the 15th revised after a restart: the new price is stored as a correction, the old one not again
    csv['2022-08-15'] = 'market,commodity,unit,price_vnd,shortage\nmarket-a,salt,kg,19000,true\n';
    const restarted = await h.pollers(config, now);
    expect(await restarted.runOnce()).toBe(true);
    expect(await h.stored('prices', 'poller:so-cong-thuong')).toEqual({ rows: 3, ids: 3 });
    const rs = await h.store.client.query({ query: `SELECT price_vnd, shortage FROM prices_latest FINAL WHERE entity = 'market-a' AND commodity = 'salt'`, format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ price_vnd: 19000, shortage: true }]);
  });
});

describe('public-service portal dossier statistics', () => {
  it('stores per agency/day statistics once; a row the contract refuses is dead-lettered under the poller source', async () => {
    const stat = (date: string, received: number, updatedAt: string, over: Record<string, unknown> = {}) => ({ agencyCode: 'hall-a', date, received, receivedOnline: 5, resolved: 6, resolvedOnTime: 5, resolvedLate: 1, paidOnline: 2, updatedAt, ...over });
    const rows = [stat('2022-08-14', 10, '2022-08-15T01:00:00Z'), stat('2022-08-15', 11, '2022-08-16T01:00:00Z'), stat('2022-08-16', 12, '2022-08-17T01:00:00Z', { resolved: 9 }), { agencyCode: 'hall-a', date: 'yesterday', updatedAt: '2022-08-17T02:00:00Z' }];
    server.use(pagedHandler('http://dichvucong.test/dossier-statistics', () => rows));
    const config = { pollers: [{ name: 'dvc', kind: 'dossier-stats', baseUrl: 'http://dichvucong.test', ...common }] };
    const set = await h.pollers(config);
    expect(await set.runOnce()).toBe(true);
    expect(await set.runOnce()).toBe(true);
    expect(await h.stored('dossiers', 'poller:dvc')).toEqual({ rows: 2, ids: 2 });
    const dead = await h.store.client.query({ query: `SELECT count() AS n FROM deadletter WHERE source = 'poller:dvc'`, format: 'JSONEachRow' });
    expect(Number((await dead.json<{ n: string }>())[0]!.n)).toBe(1);
    expect(set.health()[0]!.recentRejects.map((r) => r.reason).join()).toMatch(/date/);
  });
});

describe('configuration', () => {
  it('refuses a config naming a token variable that is not set', async () => {
    const config = { pollers: [{ name: 'x', kind: 'dossier-stats', baseUrl: 'http://dichvucong.test', tokenEnv: 'NOT_SET_TOKEN' }] };
    await expect(h.pollers(config)).rejects.toThrow(/NOT_SET_TOKEN/);
  });
});
