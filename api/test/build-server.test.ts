import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Store } from '@haidang/stream';
import { queryRows, tempStore } from '../../stream/test/fixtures/temp-store.ts';
import type { ApiPart } from '../src/http/api-part.ts';
import { buildServer, type ApiDeps } from '../src/server.ts';
import { adminPassword, testLogger, testPlaces } from './fixtures/test-api.ts';

/**
 * Building the api touches nothing outside the process: a test or a bench can build one over
 * any store. `start()` makes the tables (the api's and its parts'), seeds the first admin and
 * starts the background loops; closing stops them.
 */
let store: Store;
const tables = async () => (await queryRows<{ name: string }>(store, 'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name')).map((r) => r.name);

/** a part that records when its tables would be made, and serves one route under /api/v1 */
function recordingPart(calls: string[]): ApiPart {
  return {
    name: 'recording',
    async migrate() {
      calls.push('migrate');
    },
    routes(api, ctx) {
      api.get('/recording', { preHandler: ctx.require('sources') }, async () => ({ ok: true }));
    },
  };
}

const deps = (over: Partial<ApiDeps> = {}): ApiDeps => ({
  store: store.client,
  logger: testLogger,
  auth: { adminPassword, sessionSecret: 'z'.repeat(48), sessionHours: 1, cookieSecure: false },
  places: testPlaces,
  ...over,
});

beforeAll(async () => {
  store = await tempStore();
});
afterAll(async () => {
  await store.close();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('buildServer', () => {
  it('creates no table, seeds no user, runs no part migration and leaves no timer', async () => {
    const calls: string[] = [];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const app = await buildServer(deps({ parts: [recordingPart(calls)] }));
    await app.ready();
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
    expect(await tables()).toEqual([]);
    expect(calls).toEqual([]);
    // its routes are there already: without a session the part's route is a 401, not a 404
    expect((await app.inject({ url: '/api/v1/recording' })).statusCode).toBe(401);
    await app.close();
    expect(await tables()).toEqual([]);
  });

  it('start() makes the tables, seeds the admin, migrates its parts once; close() stops its loops', async () => {
    const calls: string[] = [];
    // intervals only: the loops (live frames and sweep, the episode follower) are intervals
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const app = await buildServer(deps({ parts: [recordingPart(calls)] }));
    expect(vi.getTimerCount()).toBe(0);
    await Promise.all([app.start(), app.start()]);
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    expect(calls).toEqual(['migrate']);
    expect(await tables()).toEqual(expect.arrayContaining(['api_users', 'api_alerts', 'api_audit_log']));
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: adminPassword } });
    expect(login.statusCode).toBe(200);
    const c = login.cookies.find((k) => k.name === 'haidang_session')!;
    expect((await app.inject({ url: '/api/v1/recording', headers: { cookie: `${c.name}=${c.value}` } })).statusCode).toBe(200);
    // what start() started is what close() stops
    await app.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
