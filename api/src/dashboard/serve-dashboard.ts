import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Logger } from '@haidang/stream';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';

/** where `npm run build -w @haidang/dashboard` writes the single-page app */
const defaultDashboardDir = new URL('../../../dashboard/dist', import.meta.url).pathname;

/** paths the single-page app must never shadow: an unknown api path stays a 404 problem */
const serverPaths = ['/api/', '/docs', '/socket.io', '/healthz', '/readyz', '/metrics', '/ingest/'];

/**
 * Serves the dashboard build at `/` with @fastify/static (etag, ranges, precompressed files
 * when present) and falls back to index.html for the app's own routes (/login, /kpi…), so a
 * reload on any page works. Hashed files under /assets/ never change: cached for a year;
 * index.html is revalidated so a new build is picked up at once. Without a build the root
 * says how to make one rather than answering 404.
 */
export async function serveDashboard(app: App, o: { dir?: string | undefined; logger: Logger }): Promise<void> {
  const dir = o.dir ?? defaultDashboardDir;
  const built = existsSync(join(dir, 'index.html'));
  if (!built) o.logger.warn({ dir }, 'dashboard not built: run `npm run build` (npm start does it when needed)');
  else {
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false,
      index: false,
      // the build writes .br and .gz beside each asset (dashboard/vite.config.ts): sent as the browser accepts
      preCompressed: true,
      setHeaders: (reply, path) => reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (serverPaths.some((p) => path.startsWith(p)) || /\.[a-z0-9]+$/i.test(path)) return problem(reply, 404, 'Not found', `no route GET ${path}`);
    if (!built) return reply.code(503).type('text/plain; charset=utf-8').send('The dashboard is not built. Run `npm run build` (or `npm start`, which builds it when needed).\n');
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
