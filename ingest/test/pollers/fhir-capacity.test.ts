import { delay, http, HttpResponse } from 'msw';
import { beforeAll, describe, expect, it } from 'vitest';
import { useHarness, type PollHarness } from './poll-harness.ts';

const base = 'http://fhir.hospital.test/fhir';

/** a SANER-style bed-capacity MeasureReport for the tiny pack's clinic */
function report(id: string, lastUpdated: string, p: { beds?: number; occupied?: number; version?: string; subject?: string } = {}) {
  const pop = (code: string, count: number) => ({ code: { coding: [{ system: 'https://haidang.city/fhir/capacity', code }] }, count });
  return {
    resourceType: 'MeasureReport',
    id,
    meta: { versionId: p.version ?? '1', lastUpdated },
    status: 'complete',
    type: 'summary',
    measure: 'http://hl7.org/fhir/uv/saner/Measure/CDCPatientImpactAndHospitalCapacity',
    subject: { reference: `Location/${p.subject ?? 'clinic-a'}` },
    period: { start: `${lastUpdated.slice(0, 10)}T00:00:00Z`, end: lastUpdated },
    group: [
      {
        population: [
          pop('numTotBeds', p.beds ?? 100), pop('numBedsOcc', p.occupied ?? 40), pop('numICUBeds', 10), pop('numICUBedsOcc', 2),
          pop('numVent', 5), pop('numVentUse', 1), pop('numO2Beds', 50), pop('numO2BedsOcc', 20),
          pop('numO2Mask', 12), pop('numO2HFNC', 4), pop('numO2NIV', 2), pop('numO2Invasive', 1), pop('numO2ECMO', 0), pop('o2StockLitres', 90000),
        ],
      },
    ],
  };
}
const bundle = (resources: unknown[], next?: string) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  link: [{ relation: 'self', url: `${base}/MeasureReport` }, ...(next ? [{ relation: 'next', url: next }] : [])],
  entry: resources.map((resource) => ({ resource })),
});

const { server, harness } = useHarness();
let h: PollHarness;
beforeAll(() => {
  h = harness();
});

const poller = (name: string, over: Record<string, unknown> = {}) => ({
  pollers: [{ name, kind: 'fhir-capacity', baseUrl: base, tokenEnv: 'FHIR_TOKEN', pageSize: 2, timeoutMs: 2_000, retries: 0, minBackoffMs: 10, maxBackoffMs: 50, ...over }],
});

describe('FHIR capacity poller', () => {
  it('follows Bundle.link[next], stores each report once when polled twice and after a restart, resumes from its cursor', async () => {
    let upstream = [report('r1', '2022-08-15T01:00:00Z'), report('r2', '2022-08-15T02:00:00Z'), report('r3', '2022-08-15T03:00:00Z')];
    const asked: string[] = [];
    server.use(
      http.get(`${base}/MeasureReport`, ({ request }) => {
        if (request.headers.get('authorization') !== 'Bearer secret-token') return new HttpResponse(null, { status: 401 });
        const url = new URL(request.url);
        asked.push(url.searchParams.get('_lastUpdated') ?? '(none)');
        const since = url.searchParams.get('_lastUpdated')?.slice(2);
        const offset = Number(url.searchParams.get('_offset') ?? 0);
        const matching = upstream.filter((r) => !since || Date.parse(r.meta.lastUpdated) >= Date.parse(since));
        const page = matching.slice(offset, offset + 2);
        const next = offset + 2 < matching.length ? `${base}/MeasureReport?${new URLSearchParams({ ...(since ? { _lastUpdated: `ge${since}` } : {}), _offset: String(offset + 2) })}` : undefined;
        return HttpResponse.json(bundle(page, next));
      }),
    );
    const first = await h.pollers(poller('hospital-a'));
    expect(await first.runOnce()).toBe(true);
    expect(await first.runOnce()).toBe(true);
    expect(await h.stored('capacity', 'poller:hospital-a')).toEqual({ rows: 3, ids: 3 });
    const [health] = first.health();
    expect(health).toMatchObject({ status: 'ok', consecutiveFailures: 0, cursor: '2022-08-15T03:00:00Z', totals: { published: 3 } });
    await first.stop();

    // a restart: a new poller set over the same store; upstream revised r3 and added r4
    upstream = [...upstream.slice(0, 2), report('r3', '2022-08-15T04:00:00Z', { version: '2', occupied: 45 }), report('r4', '2022-08-15T04:00:00Z')];
    const again = await h.pollers(poller('hospital-a'));
    expect(await again.runOnce()).toBe(true);
    // resumed from the persisted cursor, inclusive: r3 v1 is read again and not stored again
    expect(asked.at(-1)).toBe('ge2022-08-15T03:00:00Z');
    expect(again.health()[0]!.cursor).toBe('2022-08-15T04:00:00Z');
    expect(await h.stored('capacity', 'poller:hospital-a')).toEqual({ rows: 5, ids: 5 });
    const rs = await h.store.client.query({ query: `SELECT tier, beds_occupied FROM capacity_latest FINAL WHERE entity = 'clinic-a'`, format: 'JSONEachRow' });
    // tier from the city pack, not from the upstream report
    const [latest] = await rs.json<{ tier: number; beds_occupied: number }>();
    expect(latest!.tier).toBe(2);
  });

  it('backs off on 500s and timeouts, reports them in health, and recovers', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/MeasureReport`, async ({ request }) => {
        if (!request.url.includes('_sort')) return HttpResponse.json(bundle([]));
        calls++;
        if (calls === 1) return new HttpResponse('upstream down', { status: 500 });
        if (calls === 2) {
          await delay(6_000);
          return HttpResponse.json(bundle([]));
        }
        return HttpResponse.json(bundle([report('b1', '2022-08-16T01:00:00Z')]));
      }),
    );
    const set = await h.pollers(poller('hospital-b', { retries: 0, timeoutMs: 1_500 }));
    expect(await set.runOnce()).toBe(false);
    expect(set.health()[0]).toMatchObject({ status: 'failing', consecutiveFailures: 1, lastError: { code: 'HD_POLLER_UPSTREAM_ERROR' } });
    expect(await set.runOnce()).toBe(false);
    expect(set.health()[0]).toMatchObject({ status: 'failing', consecutiveFailures: 2, lastError: { code: 'HD_POLLER_TIMEOUT' } });
    expect(await h.stored('capacity', 'poller:hospital-b')).toEqual({ rows: 0, ids: 0 });
    expect(await set.runOnce()).toBe(true);
    expect(set.health()[0]).toMatchObject({ status: 'ok', consecutiveFailures: 0, lastError: { code: 'HD_POLLER_TIMEOUT' } });
    expect(set.health()[0]!.lastSuccessAt).not.toBeNull();
    expect(await h.stored('capacity', 'poller:hospital-b')).toEqual({ rows: 1, ids: 1 });
  });

  it('retries within a run with exponential backoff (p-retry), the next attempt shown in health', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/MeasureReport`, () => (++calls <= 2 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json(bundle([report('c1', '2022-08-17T01:00:00Z')])))),
    );
    const set = await h.pollers(poller('hospital-c', { retries: 3, minBackoffMs: 20, maxBackoffMs: 100 }));
    const run = set.runOnce();
    expect(await run).toBe(true);
    expect(calls).toBe(3);
    expect(set.health()[0]).toMatchObject({ status: 'ok', consecutiveFailures: 0, lastError: { code: 'HD_POLLER_UPSTREAM_ERROR' } });
    expect(await h.stored('capacity', 'poller:hospital-c')).toEqual({ rows: 1, ids: 1 });
  });

  it('a malformed record is reported and the good records beside it are stored; an unreadable page keeps the cursor', async () => {
    let broken = true;
    server.use(
      http.get(`${base}/MeasureReport`, () => {
        if (broken) {
          broken = false;
          return new HttpResponse('{"resourceType":"Bundle", "entry": [', { status: 200, headers: { 'content-type': 'application/fhir+json' } });
        }
        const bad = { ...report('d2', '2022-08-18T02:00:00Z'), group: [{ population: [{ code: { coding: [{ code: 'numTotBeds' }] }, count: 'many' }] }] };
        return HttpResponse.json(bundle([report('d1', '2022-08-18T01:00:00Z'), bad, report('d3', '2022-08-18T03:00:00Z', { subject: 'no-such-hospital' }), report('d4', '2022-08-18T04:00:00Z')]));
      }),
    );
    const set = await h.pollers(poller('hospital-d'));
    expect(await set.runOnce()).toBe(false);
    expect(set.health()[0]).toMatchObject({ status: 'failing', cursor: null, lastError: { code: 'HD_POLLER_MALFORMED_PAGE' } });
    expect(await set.runOnce()).toBe(true);
    expect(await h.stored('capacity', 'poller:hospital-d')).toEqual({ rows: 2, ids: 2 });
    const health = set.health()[0]!;
    expect(health.totals.rejected).toBe(2);
    expect(health.recentRejects.map((r) => r.ref).sort()).toEqual(['MeasureReport/d2', 'MeasureReport/d3']);
    expect(health.recentRejects.find((r) => r.ref === 'MeasureReport/d3')!.reason).toMatch(/not a facility/);
    expect(health.cursor).toBe('2022-08-18T04:00:00Z');
  });

  it('does not follow a next link to another host (the token stays with its server)', async () => {
    server.use(http.get(`${base}/MeasureReport`, () => HttpResponse.json(bundle([report('e1', '2022-08-19T01:00:00Z')], 'http://elsewhere.test/steal'))));
    const set = await h.pollers(poller('hospital-e'));
    expect(await set.runOnce()).toBe(false);
    expect(set.health()[0]!.lastError!.message).toMatch(/leaves/);
    // the page before the bad link was published and its cursor kept
    expect(await h.stored('capacity', 'poller:hospital-e')).toEqual({ rows: 1, ids: 1 });
  });

  it('runs on its schedule once started and says when it runs next', async () => {
    server.use(http.get(`${base}/MeasureReport`, () => HttpResponse.json(bundle([report('s1', '2022-08-20T01:00:00Z')]))));
    const set = await h.pollers(poller('hospital-s', { intervalSeconds: 600 }));
    const started = Date.now();
    set.start();
    await expect.poll(() => set.health()[0]!.lastSuccessAt, { timeout: 30_000, interval: 50 }).not.toBeNull();
    await expect.poll(() => set.health()[0]!.nextRunAt, { timeout: 30_000, interval: 50 }).not.toBeNull();
    const next = Date.parse(set.health()[0]!.nextRunAt!);
    expect(next - started).toBeGreaterThanOrEqual(600_000);
    expect(next - Date.now()).toBeLessThanOrEqual(600_000);
    await set.stop();
    expect(await h.stored('capacity', 'poller:hospital-s')).toEqual({ rows: 1, ids: 1 });
  });
});
