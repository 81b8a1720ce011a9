import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceMetrics } from '@haidang/stream';
import { startTestApi, type TestApi } from '../fixtures/test-api.ts';

const token = 'metrics-token-for-tests-0123456789';
let api: TestApi;
let brokerDown = false;
beforeAll(async () => {
  const metrics = new ServiceMetrics('api-test');
  api = await startTestApi({
    ops: {
      metrics,
      metricsToken: token,
      checks: {
        broker: async () => {
          if (brokerDown) throw new Error('broker 127.0.0.1:1 unreachable');
        },
      },
    },
  });
  metrics.followProcessor(() => api.processor.counters);
});
afterAll(async () => api.close());

describe('health and readiness, public', () => {
  it('/healthz says the process answers, without sign-in', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.9' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz checks the store, the migrations and the broker; 503 names what is down', async () => {
    const ok = await api.app.inject({ method: 'GET', url: '/readyz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ready: true, checks: { broker: { ok: true }, store: { ok: true }, migrations: { ok: true } } });
    brokerDown = true;
    const down = await api.app.inject({ method: 'GET', url: '/readyz' });
    brokerDown = false;
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ ready: false, checks: { store: { ok: true }, broker: { ok: false, error: 'broker 127.0.0.1:1 unreachable' } } });
  });
});

describe('/metrics, loopback or bearer token', () => {
  it('serves Prometheus text to loopback with pipeline and HTTP figures', async () => {
    await api.store_events([]);
    await api.app.inject({ method: 'GET', url: '/api/v1/health' });
    const res = await api.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toMatch(/haidang_http_request_seconds_count\{service="api-test",method="GET",route="\/api\/v1\/health",status_code="200"\} 1/);
    expect(res.body).toMatch(/haidang_socket_clients\{service="api-test"\} 0/);
    expect(res.body).toMatch(/haidang_insert_retries_total\{service="api-test"\} 0/);
    expect(res.body).toMatch(/haidang_process_resident_memory_bytes/);
  });

  it('refuses another host without the token, serves it with the token', async () => {
    const refused = await api.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(refused.statusCode).toBe(403);
    const wrong = await api.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization: `Bearer ${token.replace('0', 'x')}` } });
    expect(wrong.statusCode).toBe(403);
    const allowed = await api.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization: `Bearer ${token}` } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.body).toMatch(/^# HELP/m);
  });
});
