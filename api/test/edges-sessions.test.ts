import { connect as tcpConnect } from 'node:net';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPassword, startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
let url: string;
let port: number;
let admin: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  api = await startTestApi();
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  port = (api.app.server.address() as { port: number }).port;
  url = `http://127.0.0.1:${port}`;
  admin = await api.cookieFor('admin');
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await api.close();
});

const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, cookie?: string, payload?: unknown, remoteAddress?: string) =>
  api.app.inject({ method, url: `/api/v1${path}`, headers: cookie ? { cookie } : {}, ...(payload !== undefined ? { payload: payload as object } : {}), ...(remoteAddress ? { remoteAddress } : {}) });

async function newUser(username: string, role: string, password = `${username}-password-1`): Promise<string> {
  const made = await inject('POST', '/users', admin, { username, role, password });
  expect(made.statusCode).toBe(201);
  const login = await inject('POST', '/auth/login', undefined, { username, password });
  expect(login.statusCode).toBe(200);
  const c = login.cookies.find((k) => k.name === 'haidang_session')!;
  return `${c.name}=${c.value}`;
}

function openSocket(cookie: string): Socket {
  const s = connectSocket(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
  sockets.push(s);
  return s;
}
const connected = (s: Socket) => new Promise<void>((resolve, reject) => (s.on('connect', () => resolve()), s.on('connect_error', reject)));
const ended = (s: Socket) => new Promise<unknown>((resolve) => s.on('session-ended', resolve));
const disconnected = (s: Socket) => new Promise<string>((resolve) => s.on('disconnect', resolve));

/** one raw HTTP request, written byte for byte (two Origin headers cannot be sent otherwise) */
function rawRequest(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tcpConnect(port, '127.0.0.1', () => sock.end(`${lines.join('\r\n')}\r\n\r\n`));
    let out = '';
    sock.on('data', (d) => (out += d));
    sock.on('end', () => resolve(out));
    sock.on('error', reject);
  });
}

describe('a changed user loses the power of their old session at once', () => {
  it('an admin demoted and re-passworded cannot use the old cookie to create an admin', async () => {
    const second = await newUser('second-admin', 'admin');
    expect((await inject('GET', '/users', second)).statusCode).toBe(200);
    expect((await inject('PATCH', '/users/second-admin', admin, { role: 'health', password: 'a-brand-new-password' })).statusCode).toBe(200);
    const attempt = await inject('POST', '/users', second, { username: 'sneaky-admin', role: 'admin', password: 'sneaky-password-1' });
    expect(attempt.statusCode).toBe(401);
    expect((await inject('GET', '/auth/me', second)).statusCode).toBe(401);
    // they sign in again and get what they are now
    const again = await inject('POST', '/auth/login', undefined, { username: 'second-admin', password: 'a-brand-new-password' });
    expect(again.json()).toMatchObject({ role: 'health' });
  });

  it('a new password alone ends the sessions', async () => {
    const cookie = await newUser('repass', 'operator');
    expect((await inject('GET', '/capacity/facilities', cookie)).statusCode).toBe(200);
    expect((await inject('PATCH', '/users/repass', admin, { password: 'another-password-2' })).statusCode).toBe(200);
    expect((await inject('GET', '/capacity/facilities', cookie)).statusCode).toBe(401);
  });

  it('a disabled user is cut off over HTTP and their sockets are dropped at once', async () => {
    const cookie = await newUser('to-disable', 'operator');
    const s = openSocket(cookie);
    await connected(s);
    expect(await s.emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });
    const end = ended(s);
    const gone = disconnected(s);
    expect((await inject('PATCH', '/users/to-disable', admin, { disabled: true })).statusCode).toBe(200);
    // the PATCH answered after the socket was told: no waiting for a sweep
    expect(await Promise.race([end, new Promise((r) => setTimeout(() => r('not yet'), 1_000))])).toMatchObject({ reason: 'user-changed' });
    await gone;
    expect((await inject('GET', '/capacity/facilities', cookie)).statusCode).toBe(401);
    // and a new socket with the old cookie is refused
    const again = openSocket(cookie);
    await expect(connected(again)).rejects.toThrow(/unauthorized/);
  });

  it('a demoted user keeps no channel the new role may not follow', async () => {
    const cookie = await newUser('to-demote', 'operator');
    const s = openSocket(cookie);
    await connected(s);
    expect(await s.emitWithAck('subscribe', 'prices')).toMatchObject({ ok: true });
    const end = ended(s);
    expect((await inject('PATCH', '/users/to-demote', admin, { role: 'health' })).statusCode).toBe(200);
    await end;
    expect((await inject('GET', '/prices/markets', cookie)).statusCode).toBe(401);
  });

  it('a deleted user is gone from HTTP and socket.io, and the deletion is audit-logged', async () => {
    const cookie = await newUser('to-delete', 'evaluator');
    const s = openSocket(cookie);
    await connected(s);
    const end = ended(s);
    expect((await inject('DELETE', '/users/to-delete', admin)).statusCode).toBe(204);
    expect(await end).toMatchObject({ reason: 'user-gone' });
    expect((await inject('GET', '/kpi', cookie)).statusCode).toBe(401);
    expect((await inject('GET', '/users', admin)).json().users.map((u: { username: string }) => u.username)).not.toContain('to-delete');
    expect((await inject('DELETE', '/users/to-delete', admin)).statusCode).toBe(404);
    expect((await inject('GET', '/audit?action=user-delete', admin)).json().entries[0]).toMatchObject({ actor: 'admin', target: 'to-delete' });
    // the name can be used again
    await newUser('to-delete', 'health');
  });
});

describe('the last active admin', () => {
  it('cannot be demoted, disabled or deleted (409 with the reason); with another admin it can', async () => {
    // second-admin was demoted above: admin is the only active admin
    for (const [method, body] of [['PATCH', { role: 'operator' }], ['PATCH', { disabled: true }], ['DELETE', undefined]] as const) {
      const res = await inject(method, '/users/admin', admin, body);
      expect(res.statusCode).toBe(409);
      expect(res.json().detail).toMatch(/last active admin/);
    }
    expect((await inject('GET', '/users', admin)).statusCode).toBe(200);
    await newUser('deputy', 'admin');
    const demoteDeputy = await inject('PATCH', '/users/deputy', admin, { disabled: true });
    expect(demoteDeputy.statusCode).toBe(200);
    // a disabled admin does not count as the other admin
    expect((await inject('PATCH', '/users/admin', admin, { role: 'operator' })).statusCode).toBe(409);
  });
});

describe('sign-in backoff', () => {
  it('slows guessing one account from many addresses (429, Retry-After) but not its owner at a known address', async () => {
    await newUser('victim', 'operator', 'victim-password-1');
    // the owner signed in from 10.0.0.1 before
    expect((await inject('POST', '/auth/login', undefined, { username: 'victim', password: 'victim-password-1' }, '10.0.0.1')).statusCode).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await inject('POST', '/auth/login', undefined, { username: 'victim', password: `guess-${i}-guess-guess` }, `10.1.0.${i}`)).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toContain(429);
    const blocked = await inject('POST', '/auth/login', undefined, { username: 'victim', password: 'victim-password-1' }, '10.2.0.1');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(blocked.json()).toMatchObject({ status: 429, title: 'Too many failed sign-ins' });
    // the owner at the address they used before is not kept out by someone else's failures
    expect((await inject('POST', '/auth/login', undefined, { username: 'victim', password: 'victim-password-1' }, '10.0.0.1')).statusCode).toBe(200);
  });

  it('slows one address trying many accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await inject('POST', '/auth/login', undefined, { username: `nobody-${i}`, password: 'whatever-whatever' }, '10.3.0.1')).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    // another address is not affected
    expect((await inject('POST', '/auth/login', undefined, { username: 'admin', password: adminPassword }, '10.3.0.2')).statusCode).toBe(200);
  });
});

describe('socket.io handshakes and events are untrusted input', () => {
  const poll = (origin: string[]) => rawRequest(['GET /socket.io/?EIO=4&transport=polling HTTP/1.1', `Host: 127.0.0.1:${port}`, ...origin.map((o) => `Origin: ${o}`), 'Connection: close']);

  it('refuses Origin null, two Origin headers and garbage with 403, and keeps serving', async () => {
    for (const origin of [['null'], ['http://dashboard.test', 'http://evil.test'], [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}`], ['::::'], ['http://[::1'], ['x'.repeat(3000)], ['http://evil.test']]) {
      const res = await poll(origin);
      expect(res, origin.join(' + ')).toMatch(/^HTTP\/1\.1 403/);
    }
    expect(await poll([`http://127.0.0.1:${port}`])).toMatch(/^HTTP\/1\.1 200/);
    expect(await poll(['http://dashboard.test'])).toMatch(/^HTTP\/1\.1 200/);
    expect((await inject('GET', '/health')).statusCode).toBe(200);
  });

  it('refuses JSONP polling, and a foreign Origin on every request of an open session, not only its handshake', async () => {
    const cookie = await api.cookieFor('operator');
    const status = (res: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(res)?.[1]);
    // a <script> tag's handshake: no Origin, the cookie, JSONP
    const jsonp = await rawRequest(['GET /socket.io/?EIO=4&transport=polling&j=0 HTTP/1.1', `Host: 127.0.0.1:${port}`, `Cookie: ${cookie}`, 'Connection: close']);
    expect(status(jsonp)).toBe(400);
    // a plain poll opens a session; a <script> tag could fetch it, so it must not run as script
    const open = await rawRequest(['GET /socket.io/?EIO=4&transport=polling HTTP/1.1', `Host: 127.0.0.1:${port}`, `Cookie: ${cookie}`, 'Connection: close']);
    expect(status(open)).toBe(200);
    expect(open).toMatch(/x-content-type-options: nosniff/i);
    const sid = /"sid":"([^"]+)"/.exec(open)![1]!;
    const post = (origin: string[], body: string) =>
      rawRequest([`POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Cookie: ${cookie}`, ...origin.map((o) => `Origin: ${o}`), 'Content-Type: text/plain;charset=UTF-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body]);
    // a sibling origin posting into the session it opened: refused, whatever the body
    expect(status(await post(['http://evil.test'], '40'))).toBe(400);
    expect(status(await post(['http://evil.test'], 'd=40'))).toBe(400);
    // the session itself still works from where it may
    expect(status(await post([], '40'))).toBe(200);
    expect(status(await post([`http://127.0.0.1:${port}`], '42["subscribe","capacity"]'))).toBe(200);
  });

  it('answers odd channel names and payloads without harm, and drops a flood', async () => {
    const s = openSocket(await api.cookieFor('operator'));
    await connected(s);
    for (const odd of ['x'.repeat(7000), '__proto__', 'constructor', 'capacity\u0000', 42, null, { channel: 'capacity' }, ['capacity'], true]) {
      expect(await s.timeout(5_000).emitWithAck('subscribe', odd)).toMatchObject({ ok: false });
    }
    expect(await s.timeout(5_000).emitWithAck('unsubscribe', { toString: 1 })).toMatchObject({ ok: false });
    s.emit('subscribe'); // no argument, no ack
    s.emit('no-such-event', 1, 2, 3);
    expect(await s.timeout(5_000).emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });
    const gone = disconnected(s);
    for (let i = 0; i < 200; i++) s.emit('unsubscribe', 'capacity');
    expect(await gone).toBeTruthy();
    expect((await inject('GET', '/health')).statusCode).toBe(200);
  });
});
