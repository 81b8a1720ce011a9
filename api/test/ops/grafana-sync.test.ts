import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataStreams, migrate, type Store } from '@haidang/stream';
import { tempStore } from '../../../stream/test/fixtures/temp-store.ts';
import { migrateApi } from '../../src/migrations/index.ts';
import { allDashboards } from '../../src/ops/grafana/dashboards.ts';
import { GrafanaError } from '../../src/ops/grafana/grafana-client.ts';
import { syncGrafana } from '../../src/ops/grafana/sync.ts';
import { testPlaces } from '../fixtures/test-api.ts';

/**
 * `haidang grafana sync` against Grafana's HTTP API, mocked with MSW at the boundary:
 * what is sent (auth header, payloads), retries on 5xx, a clear error on 401, and a second
 * run that updates instead of adding.
 */
const grafana = 'http://grafana.test:3000';
const token = 'glsa_test_token_0123456789';
const logger = pino({ level: 'silent' });
let store: Store;

interface Call {
  method: string;
  path: string;
  auth: string | null;
  body: unknown;
}
let calls: Call[] = [];
/** annotations "Grafana" holds, as GET /api/annotations returns them */
const annotations: Array<{ id: number; time: number; timeEnd?: number; tags: string[]; text: string }> = [];
/** answers forced on the next dashboard saves, in order */
let dashboardFailures: number[] = [];

const record = async (request: Request) => {
  const url = new URL(request.url);
  const text = request.method === 'GET' ? '' : await request.text();
  calls.push({ method: request.method, path: url.pathname, auth: request.headers.get('authorization'), body: text ? JSON.parse(text) : null });
};

const server = setupServer(
  http.post(`${grafana}/api/dashboards/db`, async ({ request }) => {
    await record(request);
    if (request.headers.get('authorization') !== `Bearer ${token}`) return HttpResponse.json({ message: 'invalid API key' }, { status: 401 });
    const failure = dashboardFailures.shift();
    if (failure) return HttpResponse.json({ message: 'database is locked' }, { status: failure });
    const { dashboard } = calls.at(-1)!.body as { dashboard: { uid: string } };
    return HttpResponse.json({ id: 1, uid: dashboard.uid, url: `/d/${dashboard.uid}/x`, status: 'success', version: 3, slug: 'x' });
  }),
  http.get(`${grafana}/api/annotations`, async ({ request }) => {
    await record(request);
    return HttpResponse.json(annotations);
  }),
  http.post(`${grafana}/api/annotations`, async ({ request }) => {
    await record(request);
    const body = calls.at(-1)!.body as { time: number; timeEnd?: number; tags: string[]; text: string };
    const id = annotations.length + 1;
    annotations.push({ id, ...body });
    return HttpResponse.json({ id, message: 'Annotation added' });
  }),
  http.patch(`${grafana}/api/annotations/:id`, async ({ request, params }) => {
    await record(request);
    const a = annotations.find((x) => x.id === Number(params.id))!;
    Object.assign(a, calls.at(-1)!.body);
    return HttpResponse.json({ message: 'Annotation patched' });
  }),
);

const firstEpisode = '0193b0a0-0000-7000-8000-000000000001';
const secondEpisode = '0193b0a0-0000-7000-8000-000000000002';
const startedAt = Date.now() - 3_600_000;

async function episode(id: string, state: 'firing' | 'resolved', version: number, resolvedAt: number | null) {
  await store.client.insert({
    table: 'api_alerts',
    format: 'JSONEachRow',
    values: [{
      episode_id: id, rule_id: 'oxygen-beds-high', entity: 'f-a', series: 'tier 2', state, severity: 'critical', metric: 'oxygen_occupancy', value: 0.93, threshold: 0.9,
      message_vi: 'Giường oxy gần đầy', message_en: 'Oxygen beds nearly full', started_at: startedAt, resolved_at: resolvedAt, acknowledged_by: null, acknowledged_at: null, ack_comment: null, version,
    }],
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
}

const sync = (over: Partial<Parameters<typeof syncGrafana>[0]> = {}) =>
  syncGrafana({ url: grafana, token, store: store.client, dashboards: allDashboards(testPlaces), logger, sinceMs: Date.now() - 86_400_000, retryDelayMs: 5, ...over });

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  store = await tempStore();
  await migrate(store.client);
  await migrateApi(store.client);
  await episode(firstEpisode, 'firing', 1, null);
});
beforeEach(() => {
  calls = [];
  dashboardFailures = [];
});
afterEach(() => server.resetHandlers());
afterAll(async () => {
  server.close();
  await store.close();
});

describe('haidang grafana sync', () => {
  it('pushes every dashboard and each alert episode with the bearer token', async () => {
    const report = await sync();
    const saves = calls.filter((c) => c.path === '/api/dashboards/db');
    expect(saves.map((c) => (c.body as { dashboard: { uid: string } }).dashboard.uid)).toEqual([...dataStreams.map((s) => `haidang-${s}`), 'haidang-pipeline']);
    expect(calls.every((c) => c.auth === `Bearer ${token}`)).toBe(true);
    expect(saves[0]!.body).toMatchObject({ overwrite: true, dashboard: { id: null, uid: 'haidang-capacity', title: expect.stringMatching(/capacity/i), panels: expect.any(Array) } });
    const posted = calls.filter((c) => c.method === 'POST' && c.path === '/api/annotations');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toEqual({
      time: startedAt,
      tags: ['haidang-alert', `episode:${firstEpisode}`, 'rule:oxygen-beds-high', 'severity:critical', 'entity:f-a'],
      text: '[critical] Giường oxy gần đầy — Oxygen beds nearly full',
    });
    expect(report.annotations).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(report.dashboards[0]).toEqual({ uid: 'haidang-capacity', version: 3, url: '/d/haidang-capacity/x' });
  });

  it('a second run adds no duplicate: it patches the episode that resolved and adds the new one', async () => {
    const resolvedAt = Date.now() - 600_000;
    await episode(firstEpisode, 'resolved', 2, resolvedAt);
    await episode(secondEpisode, 'firing', 1, null);
    const report = await sync();
    expect(report.annotations).toEqual({ created: 1, updated: 1, unchanged: 0 });
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.path).toBe('/api/annotations/1');
    expect(patch.body).toMatchObject({ time: startedAt, timeEnd: resolvedAt, text: expect.stringMatching(/\(resolved\)$/) });
    expect((await sync()).annotations).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(annotations).toHaveLength(2);
  });

  it('retries a 5xx with backoff and then succeeds', async () => {
    dashboardFailures = [503, 500];
    const report = await sync();
    // one dashboard per stream and the pipeline's; the first two saves answered 5xx and were retried
    expect(report.dashboards).toHaveLength(dataStreams.length + 1);
    expect(calls.filter((c) => c.path === '/api/dashboards/db')).toHaveLength(dataStreams.length + 1 + 2);
  });

  it('gives up after the last attempt with the status Grafana gave', async () => {
    dashboardFailures = [502, 502, 502, 502];
    const failure = await sync().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GrafanaError);
    expect(failure).toMatchObject({ code: 'HD_GRAFANA_UNAVAILABLE', status: 502, message: expect.stringContaining('database is locked') });
  });

  it('a 401 stops at once with what to fix, without retrying', async () => {
    const failure = await sync({ token: 'wrong' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GrafanaError);
    expect(failure).toMatchObject({ code: 'HD_GRAFANA_UNAUTHORIZED', status: 401 });
    expect((failure as Error).message).toMatch(/refused the token.*service-account token/);
    expect(calls).toHaveLength(1);
  });
});
