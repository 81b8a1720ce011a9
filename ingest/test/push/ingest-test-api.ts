import type { FastifyInstance } from 'fastify';
import type { Store } from '@haidang/stream';
import type { ApiDeps } from '../../../api/src/server.ts';
import { startTestApi } from '../../../api/test/fixtures/test-api.ts';
import type { PushLimits } from '../../src/push/ingest-plugin.ts';
import { ingestRoutes } from '../../src/push/ingest-routes.ts';
import type { UploadLimits } from '../../src/upload/upload-route.ts';

export interface IngestTestApi {
  app: FastifyInstance;
  store: Store;
  admin: string;
  /** creates a key through the admin route and returns it */
  keyFor(source: string, streams: string[], entities: string[]): Promise<string>;
  count(query: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The api's test server (a fresh chDB store fed through a real processor on the in-process
 * log; facilities f-a, f-b, f-c, wards w1, w2, markets m-1, m-2, agency ag-1) seen from a data
 * source: an admin who issues keys, and counts read from the store. The ingest routes are
 * mounted on it as bin/ mounts them.
 */
export async function startIngestApi({ push, upload, ...over }: Partial<ApiDeps> & { push?: Partial<PushLimits>; upload?: Partial<UploadLimits> } = {}): Promise<IngestTestApi> {
  const t = await startTestApi({ parts: [ingestRoutes({ push, upload })], ...over });
  const admin = await t.cookieFor('admin');
  return {
    app: t.app,
    store: t.store,
    admin,
    async keyFor(source, streams, entities) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/sources/keys', headers: { cookie: admin }, payload: { source, streams, entities } });
      if (res.statusCode !== 201) throw new Error(`key: ${res.statusCode} ${res.body}`);
      return res.json().key as string;
    },
    async count(query) {
      const rs = await t.store.client.query({ query, format: 'JSONEachRow' });
      const [row] = await rs.json<Record<string, string>>();
      return Number(Object.values(row ?? { n: 0 })[0]);
    },
    close: () => t.close(),
  };
}
