import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { descriptors } from '@haidang/stream';
import { manifest } from '@haidang/stream/manifest';
import { roles } from '../src/auth/roles.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

const get = (url: string, cookie?: string) => api.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

describe('GET /api/v1/manifest', () => {
  it.each([...roles])('%s gets the streams its role may read, valid against the agreed schema', async (role) => {
    const res = await get('/api/v1/manifest', await api.cookieFor(role));
    expect(res.statusCode).toBe(200);
    const m = manifest.parse(res.json());
    expect(m.streams.map((s) => s.name).sort()).toEqual(descriptors.filter((d) => (d.roles as readonly string[]).includes(role)).map((d) => d.name).sort());
    for (const s of m.streams) expect(s.roles).toContain(role);
  });

  it('says what the wall needs of each stream: the health centre sees capacity and vaccination with their fields, labels, cadence and KPIs', async () => {
    const m = manifest.parse((await get('/api/v1/manifest', await api.cookieFor('health'))).json());
    expect(m.streams.map((s) => s.name)).toEqual(['capacity', 'vaccination']);
    const capacity = m.streams[0]!;
    expect(capacity).toMatchObject({ kind: 'gauge', channel: 'capacity', currentPath: '/capacity/facilities', entity: { kind: 'facility' }, kpis: ['capacity-oxygen-occupancy'], cadence: { minutes: 60, reportingHours: null } });
    expect(capacity.fields.find((f) => f.name === 'tier')).toMatchObject({ dimension: true, summed: false, label: { vi: 'Tầng', en: 'Tier' } });
    expect(capacity.fields.find((f) => f.name === 'patientsBySupport.mask')).toMatchObject({ column: 'o2_mask', type: 'integer' });
    const vaccination = m.streams[1]!;
    expect(vaccination.kind).toBe('counter');
    expect(vaccination.fields.find((f) => f.name === 'doses')).toMatchObject({ summed: true, dimension: false });
    expect(vaccination.cadence.reportingHours).toEqual({ from: '07:30', to: '17:00' });
  });

  it('every current-state path it names answers the role, and every channel it names can be followed', async () => {
    const cookie = await api.cookieFor('operator');
    const m = manifest.parse((await get('/api/v1/manifest', cookie)).json());
    for (const s of m.streams) expect((await get(`/api/v1${s.currentPath}`, cookie)).statusCode, s.currentPath).toBe(200);
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (api.app.server.address() as { port: number }).port;
    const socket = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
    try {
      for (const s of m.streams) expect(await socket.timeout(5000).emitWithAck('subscribe', s.channel), s.channel).toMatchObject({ ok: true, channel: s.channel });
    } finally {
      socket.close();
    }
  });

  it('needs a session, and a wall token’s session reads it', async () => {
    expect((await get('/api/v1/manifest')).statusCode).toBe(401);
    const admin = await api.cookieFor('admin');
    const created = await api.app.inject({ method: 'POST', url: '/api/v1/wall-tokens', headers: { cookie: admin }, payload: { label: 'manifest-wall', view: 'health' } });
    const signIn = await api.app.inject({ method: 'POST', url: '/api/v1/auth/wall', payload: { token: (created.json() as { token: string }).token } });
    const wall = String(signIn.headers['set-cookie']).split(';')[0]!;
    const m = manifest.parse((await get('/api/v1/manifest', wall)).json());
    expect(m.streams.map((s) => s.name)).toEqual(['capacity', 'vaccination']);
  });

  it('is in the OpenAPI document with its response schema', async () => {
    const doc = (await get('/docs/json')).json() as { paths: Record<string, { get?: { responses?: Record<string, { content?: Record<string, { schema?: { properties?: object } }> }> } }> };
    const op = doc.paths['/api/v1/manifest']?.get;
    expect(op?.responses?.['200']?.content?.['application/json']?.schema?.properties).toHaveProperty('streams');
  });
});
