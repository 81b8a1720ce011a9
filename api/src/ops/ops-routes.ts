import type { ClickHouseClient } from '@clickhouse/client';
import { checkReadiness, metricsAllowed, migrations, migrationsApplied, storeReachable, ServiceMetrics, type ReadinessCheck } from '@haidang/stream';
import type { App } from '../http/app-types.ts';
import { apiMigrations } from '../migrations/index.ts';

export interface OpsDeps {
  store: ClickHouseClient;
  /** shared with the processor when it runs in this process, so one scrape shows both */
  metrics?: ServiceMetrics | undefined;
  /** further readiness checks (the broker, when this process consumes) */
  checks?: Record<string, ReadinessCheck> | undefined;
  metricsToken?: string | undefined;
}

/**
 * /healthz, /readyz and /metrics on the api's own port, outside /api/v1 and the rate limit
 * (orchestrators and Prometheus poll them). /healthz and /readyz are public and say nothing
 * secret (which dependency is down); /metrics is for loopback or the bearer token
 * HAIDANG_METRICS_TOKEN (metrics-access.ts says why). Records every request's latency by
 * route pattern, never by raw URL (unbounded label values would swell the registry).
 */
export function opsRoutes(app: App, d: OpsDeps): ServiceMetrics {
  const metrics = d.metrics ?? new ServiceMetrics('api');
  // the api's own checks last: its migrations check covers stream's and the api's
  const checks: Record<string, ReadinessCheck> = {
    ...d.checks,
    store: storeReachable(d.store),
    migrations: migrationsApplied(d.store, [migrations, apiMigrations]),
  };
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpSeconds.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  const probe = { rateLimit: false } as const;
  app.get('/healthz', { config: probe, schema: { tags: ['ops'], summary: 'Liveness: the process answers (no sign-in)' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: probe, schema: { tags: ['ops'], summary: 'Readiness: store reachable, migrations applied, broker reachable when consuming (no sign-in); 503 names the failing check' } }, async (_request, reply) => {
    const r = await checkReadiness(checks);
    return reply.code(r.ready ? 200 : 503).send(r);
  });
  app.get('/metrics', { config: probe, schema: { tags: ['ops'], summary: 'Prometheus metrics (loopback, or Authorization: Bearer HAIDANG_METRICS_TOKEN)', hide: true } }, async (request, reply) => {
    if (!metricsAllowed(request.socket.remoteAddress, request.headers.authorization, d.metricsToken)) {
      return reply.code(403).type('application/problem+json').send({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'metrics are served to loopback or with the bearer token HAIDANG_METRICS_TOKEN', instance: '/metrics' });
    }
    const { contentType, body } = await metrics.text();
    return reply.type(contentType).send(body);
  });
  return metrics;
}
