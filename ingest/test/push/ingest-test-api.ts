import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { migrate, startEmbeddedPipeline, type Store } from '@haidang/stream';
import { tempStore } from '../../../stream/test/fixtures/temp-store.ts';
import { buildServer } from '../../../api/src/server.ts';

const adminPassword = 'admin-test-password-1';
export const testLogger = pino({ level: process.env.TEST_LOG ?? 'silent' });

/** a small city: facilities f-a, f-b; wards w1, w2; markets m-1, m-2; agency ag-1 */
const places = {
  wards: [{ code: 'w1', name: 'Phường 1', population: 1000 }, { code: 'w2', name: 'Phường 2', population: 2000 }],
  facilities: [{ id: 'f-a', name: 'A', tier: 2, wardCode: 'w1', lat: 10.35, lon: 107.07 }, { id: 'f-b', name: 'B', tier: 2, wardCode: 'w2', lat: 10.36, lon: 107.08 }],
  markets: [{ id: 'm-1', name: 'Chợ 1', wardCode: 'w1', lat: 10.35, lon: 107.07 }, { id: 'm-2', name: 'Chợ 2', wardCode: 'w2', lat: 10.36, lon: 107.08 }],
  agencies: [{ id: 'ag-1', name: { vi: 'Một cửa', en: 'One-stop shop' }, wardCode: 'w1' }],
  commodities: [{ id: 'pork', name: { vi: 'Thịt heo', en: 'Pork' }, unit: 'kg', baselineVnd: 100_000 }],
};

export interface IngestTestApi {
  app: FastifyInstance;
  store: Store;
  admin: string;
  /** creates a key through the admin route and returns it */
  keyFor(source: string, streams: string[], entities: string[]): Promise<string>;
  count(query: string): Promise<number>;
  close(): Promise<void>;
}

/** the api with the ingest routes over a fresh chDB store, fed through a real processor on the in-process log */
export async function startIngestApi(): Promise<IngestTestApi> {
  const store = await tempStore();
  await migrate(store.client);
  const { transport, topics, processor, stop: stopPipeline } = await startEmbeddedPipeline({ store: store.client, logger: testLogger });
  const app = await buildServer({
    store: store.client,
    processor,
    transport,
    topics,
    logger: testLogger,
    auth: { adminPassword, sessionSecret: 'x'.repeat(48), sessionHours: 1, cookieSecure: false },
    places,
    rateLimits: { login: { max: 1000, timeWindow: 60_000 } },
  });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: adminPassword } });
  const c = login.cookies.find((k) => k.name === 'haidang_session')!;
  const admin = `${c.name}=${c.value}`;
  return {
    app,
    store,
    admin,
    async keyFor(source, streams, entities) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/sources/keys', headers: { cookie: admin }, payload: { source, streams, entities } });
      if (res.statusCode !== 201) throw new Error(`key: ${res.statusCode} ${res.body}`);
      return res.json().key as string;
    },
    async count(query) {
      const rs = await store.client.query({ query, format: 'JSONEachRow' });
      const [row] = await rs.json<Record<string, string>>();
      return Number(Object.values(row ?? { n: 0 })[0]);
    },
    async close() {
      await app.close();
      await stopPipeline();
      await store.close();
    },
  };
}
