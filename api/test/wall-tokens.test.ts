import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  // no periodic re-judging of sockets in the test's time: a socket that ends did so because of the revocation itself
  api = await startTestApi({ live: { sweepMs: 600_000 } });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => api.close());

const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!;

describe('wall tokens', () => {
  it('an admin creates a token for a view; the wall trades it for a read-only session; revoking it signs the wall out; all audit-logged', async () => {
    const admin = await api.cookieFor('admin');
    const created = await api.app.inject({ method: 'POST', url: '/api/v1/wall-tokens', headers: { cookie: admin }, payload: { label: 'ioc-wall-1', view: 'operator' } });
    expect(created.statusCode).toBe(201);
    const { token, url, record } = created.json();
    expect(token).toMatch(/^hdw_[0-9a-f]{16}_/);
    expect(url).toBe(`/?kiosk=1#wall=${token}`);
    // an operator may not make one
    expect((await api.app.inject({ method: 'POST', url: '/api/v1/wall-tokens', headers: { cookie: await api.cookieFor('operator') }, payload: { label: 'x', view: 'operator' } })).statusCode).toBe(403);
    // the list never shows the secret
    const list = await api.app.inject({ method: 'GET', url: '/api/v1/wall-tokens', headers: { cookie: admin } });
    expect(JSON.stringify(list.json())).not.toContain(token.slice(22));

    const signIn = await api.app.inject({ method: 'POST', url: '/api/v1/auth/wall', payload: { token } });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json()).toMatchObject({ username: 'wall:ioc-wall-1', role: 'operator', wall: record.tokenId });
    const wall = cookieOf(signIn);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: wall } })).json()).toMatchObject({ role: 'operator', wall: record.tokenId });
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/capacity/facilities', headers: { cookie: wall } })).statusCode).toBe(200);
    // read-only: an operator may acknowledge alerts, the operator's wall may not
    const ack = await api.app.inject({ method: 'POST', url: '/api/v1/alerts/00000000-0000-4000-8000-000000000000/acknowledge', headers: { cookie: wall }, payload: { comment: 'x' } });
    expect(ack.statusCode).toBe(403);

    expect((await api.app.inject({ method: 'POST', url: '/api/v1/auth/wall', payload: { token: `${token.slice(0, -2)}xx` } })).statusCode).toBe(401);

    // the wall's screen follows a channel
    const port = (api.app.server.address() as { port: number }).port;
    const screen = connectSocket(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: wall } });
    await new Promise<void>((resolve, reject) => (screen.on('connect', () => resolve()), screen.on('connect_error', reject)));
    expect(await screen.timeout(5_000).emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });
    const ended = new Promise<unknown>((resolve) => screen.on('session-ended', resolve));

    const revoked = await api.app.inject({ method: 'POST', url: `/api/v1/wall-tokens/${record.tokenId}/revoke`, headers: { cookie: admin } });
    expect(revoked.statusCode).toBe(200);
    // its socket is ended at once, not at the next sweep
    expect(await Promise.race([ended, new Promise((r) => setTimeout(() => r('still open'), 5_000))])).toMatchObject({ reason: 'revoked' });
    screen.disconnect();
    expect(revoked.json().revokedBy).toBe('admin');
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: wall } })).statusCode).toBe(401);
    expect((await api.app.inject({ method: 'POST', url: '/api/v1/auth/wall', payload: { token } })).statusCode).toBe(401);

    const audit = await api.app.inject({ method: 'GET', url: '/api/v1/audit?limit=50', headers: { cookie: admin } });
    const actions = audit.json().entries.map((e: { action: string; ok: boolean }) => `${e.action}:${e.ok}`);
    expect(actions).toEqual(expect.arrayContaining(['wall-token-create:true', 'wall-sign-in:true', 'wall-sign-in:false', 'wall-token-revoke:true']));
  });
});
