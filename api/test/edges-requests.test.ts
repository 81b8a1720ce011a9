import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
let admin: string;
beforeAll(async () => {
  api = await startTestApi();
  admin = await api.cookieFor('admin');
});
afterAll(async () => api.close());

describe('a malformed request is refused as problem details naming what was wrong', () => {
  it('a URL with a broken %-escape (400) and a path parameter past its length (414)', async () => {
    for (const [url, status] of [['/api/v1/users/%zz', 400], ['/api/v1/kpi/%E0%A4%A/series', 400], [`/api/v1/users/${'u'.repeat(120)}`, 414]] as const) {
      const res = await api.app.inject({ method: url.includes('users/u') ? 'DELETE' : 'GET', url, headers: { cookie: admin } });
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type'], url).toMatch(/application\/problem\+json/);
      expect(res.json(), url).toMatchObject({ status, instance: expect.any(String), code: expect.stringMatching(/^HD_/) });
    }
  });

  it('a compressed body on an api route: 415 naming the header, not "not valid JSON"', async () => {
    for (const [encoding, body] of [['gzip', gzipSync(JSON.stringify({ zzz: 1 }))], ['br', Buffer.from('x')]] as const) {
      const res = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, payload: body });
      expect(res.statusCode, encoding).toBe(415);
      expect(res.json().errors, encoding).toEqual([{ field: 'headers.content-encoding', message: expect.any(String) }]);
    }
    // identity is no encoding
    const plain = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-encoding': 'identity' }, payload: JSON.stringify({ username: 'nobody', password: 'whatever-whatever' }) });
    expect(plain.statusCode).toBe(401);
  });

  it('an unknown key in the opening balance is named by the key', async () => {
    const res = await api.app.inject({ method: 'PUT', url: '/api/v1/kpi/opening-balance', headers: { cookie: admin, 'content-type': 'application/json' }, payload: JSON.stringify({ zzz: 1 }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('body.zzz');
  });

  it('text a person reads refuses bidirectional overrides and control characters, naming the field', async () => {
    const label = await api.app.inject({ method: 'POST', url: '/api/v1/wall-tokens', headers: { cookie: admin }, payload: { label: 'tường \u202Eyalpsid', view: 'operator' } });
    expect(label.statusCode).toBe(400);
    expect(label.json().errors[0].field).toBe('body.label');
    // a plain label still works
    expect((await api.app.inject({ method: 'POST', url: '/api/v1/wall-tokens', headers: { cookie: admin }, payload: { label: 'Tường IOC tầng 2', view: 'operator' } })).statusCode).toBe(201);
  });
});
