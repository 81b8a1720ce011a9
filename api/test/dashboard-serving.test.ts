import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, testPlaces, type TestApi } from './fixtures/test-api.ts';

/** a stand-in dashboard build: the serving rules do not depend on what vite wrote */
const dist = mkdtempSync(join(tmpdir(), 'haidang-dist-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>wall</title>');
writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
// what dashboard/vite.config.ts writes beside each asset
const bigJs = `console.log(${JSON.stringify('Hải Đăng '.repeat(2000))})`;
writeFileSync(join(dist, 'assets', 'big-def456.js'), bigJs);
writeFileSync(join(dist, 'assets', 'big-def456.js.br'), brotliCompressSync(bigJs));
writeFileSync(join(dist, 'assets', 'big-def456.js.gz'), gzipSync(bigJs));

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ dashboardDir: dist });
});
afterAll(async () => api.close());

describe('the api serves the dashboard', () => {
  it('at / and at the app’s own paths (a reload on /kpi works), revalidated so a new build shows at once', async () => {
    for (const url of ['/', '/kpi', '/login?next=%2F']) {
      const res = await api.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>wall</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('hashed assets are cached for a year, under the same CSP as the api', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('sends the precompressed asset the browser accepts (brotli, else gzip, else plain), still cached for a year', async () => {
    const br = await api.app.inject({ method: 'GET', url: '/assets/big-def456.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toMatch(/immutable/);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(bigJs);
    expect(br.rawPayload.length).toBeLessThan(bigJs.length / 10);
    const gz = await api.app.inject({ method: 'GET', url: '/assets/big-def456.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(bigJs);
    const plain = await api.app.inject({ method: 'GET', url: '/assets/big-def456.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(bigJs);
  });

  it('an unknown api path or missing file stays a 404 problem, not the app', async () => {
    for (const url of ['/api/v1/nope', '/assets/missing.js', '/ingest/v1']) {
      const res = await api.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });
});

describe('GET /api/v1/map', () => {
  it('needs a session', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/map' })).statusCode).toBe(401);
  });

  it('gives every role the places, and ward polygons only for wards the api knows', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/map', headers: { cookie: await api.cookieFor('health') } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.facilities).toHaveLength(testPlaces.facilities.length);
    expect(body.commodities[0].baselineVnd).toBe(100_000);
    // the test city's ward codes are not in the Vũng Tàu pack: no polygon is invented for them
    expect(body.wards).toEqual({ type: 'FeatureCollection', features: [] });
  });
});
