import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/auth/password.ts';
import { adminPassword, startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

describe('passwords', () => {
  it('stores scrypt with OWASP parameters in the hash and verifies in constant time', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^scrypt\$131072\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('wrong horse battery', h)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('sessions', () => {
  it('the first admin signs in with HAIDANG_ADMIN_PASSWORD and gets an httpOnly SameSite=Strict cookie', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: adminPassword } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ username: 'admin', role: 'admin' });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/haidang_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Max-Age=3600/);
  });

  it('a wrong password is 401 and audit-logged', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'nope-nope-nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const audit = await api.app.inject({ method: 'GET', url: '/api/v1/audit?action=login-failed', headers: { cookie: await api.cookieFor('admin') } });
    expect(audit.json().entries.length).toBeGreaterThanOrEqual(1);
  });

  it('a login body with an unknown key is 400 naming the key', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'x', remember: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('body.remember');
  });

  it('logout revokes the token even though it has not expired', async () => {
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: adminPassword } });
    const c = login.cookies.find((k) => k.name === 'haidang_session')!;
    const cookie = `${c.name}=${c.value}`;
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('users', () => {
  it('admin creates users; other roles may not (403), nobody signed out may (401)', async () => {
    const op = await api.cookieFor('operator');
    const list = await api.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: await api.cookieFor('admin') } });
    expect(list.json().users.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['admin', 'operator']));
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: op } })).statusCode).toBe(403);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
    const bad = await api.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: await api.cookieFor('admin') }, payload: { username: 'x y', role: 'king', password: 'short' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.password', 'body.role', 'body.username']);
  });

  it('a disabled user cannot sign in; the change is audit-logged', async () => {
    const admin = await api.cookieFor('admin');
    await api.cookieFor('health');
    const res = await api.app.inject({ method: 'PATCH', url: '/api/v1/users/health', headers: { cookie: admin }, payload: { disabled: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json().disabled).toBe(true);
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'health', password: 'health-password-1' } });
    expect(login.statusCode).toBe(401);
    const audit = await api.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: admin } });
    const actions = audit.json().entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['first-admin', 'login', 'user-create', 'user-update', 'logout']));
  });
});

describe('http', () => {
  it('serves OpenAPI at /docs with every api route', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/capacity/facilities', '/api/v1/prices/markets']));
  });

  it('sends a CSP, and CORS headers only to allowed origins', async () => {
    const ok = await api.app.inject({ method: 'GET', url: '/api/v1/health', headers: { origin: 'http://dashboard.test' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(ok.headers['content-security-policy']).toMatch(/worker-src 'self' blob:/);
    expect(ok.headers['access-control-allow-origin']).toBe('http://dashboard.test');
    const evil = await api.app.inject({ method: 'GET', url: '/api/v1/health', headers: { origin: 'http://evil.test' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('unknown routes are problem details', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ status: 404, title: 'Not found' });
  });
});
