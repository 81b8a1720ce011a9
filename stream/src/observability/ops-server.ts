import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { metricsAllowed } from './metrics-access.ts';
import type { ServiceMetrics } from './metrics.ts';
import { checkReadiness, type ReadinessCheck } from './readiness.ts';

export interface OpsServerOptions {
  host: string;
  /** 0 = any free port (the URL is logged) */
  port: number;
  metrics: ServiceMetrics;
  checks: Record<string, ReadinessCheck>;
  logger: Logger;
  metricsToken?: string | undefined;
}

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A tiny HTTP server for the services that have no api of their own (`haidang stream`,
 * `haidang store`): /healthz (the process answers), /readyz (its dependencies answer: 503
 * with the failing check otherwise) and /metrics (Prometheus text; see metrics-access.ts).
 * node:http rather than Fastify: three fixed routes, no body, nothing to validate.
 */
export async function startOpsServer(o: OpsServerOptions): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'GET only' });
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz') {
      void checkReadiness(o.checks).then((r) => json(r.ready ? 200 : 503, r));
      return;
    }
    if (path === '/metrics') {
      if (!metricsAllowed(req.socket.remoteAddress, req.headers.authorization, o.metricsToken)) return json(403, { error: 'metrics are served to loopback or with the bearer token HAIDANG_METRICS_TOKEN' });
      o.metrics.text().then(
        ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType }).end(body),
        (e: unknown) => json(500, { error: (e as Error).message }),
      );
      return;
    }
    json(404, { error: 'only /healthz, /readyz and /metrics are served here' });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port, o.host, () => ok());
  });
  const { port } = server.address() as { port: number };
  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  o.logger.info({ opsUrl: url }, `ops: ${url}/healthz, /readyz, /metrics`);
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
