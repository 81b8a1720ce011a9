import path from 'node:path';
import { setupServer } from 'msw/node';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { migrate, startEmbeddedPipeline, type DataStreamName, type Store } from '@haidang/stream';
import { tempStore } from '../../../stream/test/fixtures/temp-store.ts';
import { loadCityPack, type CityPack } from '@haidang/city';
import { createPollers, pollersFile, type PollerSet } from '../../src/index.ts';

const testLogger = pino({ level: process.env.TEST_LOG ?? 'silent' });

export interface PollHarness {
  store: Store;
  pack: CityPack;
  /** a poller set over this store and log, as after a (re)start of `haidang poll` */
  pollers(config: unknown, now?: () => Date): Promise<PollerSet>;
  /** rows stored for a source and how many distinct ids they hold */
  stored(stream: DataStreamName, source: string): Promise<{ rows: number; ids: number }>;
  close(): Promise<void>;
}

/** one chDB store and one in-process log with the real processor, per test file */
async function startHarness(): Promise<PollHarness> {
  const store = await tempStore();
  await migrate(store.client);
  const { transport, topics, stop: stopPipeline } = await startEmbeddedPipeline({ store: store.client, logger: testLogger });
  const pack = await loadCityPack(path.resolve(import.meta.dirname, '../../../city/test/fixtures/tiny-pack'));
  const sets: PollerSet[] = [];
  return {
    store,
    pack,
    async pollers(config, now) {
      const set = await createPollers({ config: pollersFile.parse(config), pack, transport, topics, store: store.client, logger: testLogger, env: { FHIR_TOKEN: 'secret-token' }, now });
      sets.push(set);
      return set;
    },
    async stored(stream, source) {
      const rs = await store.client.query({ query: `SELECT count() AS rows, uniqExact(id) AS ids FROM ${stream}_raw WHERE source = {source:String}`, query_params: { source }, format: 'JSONEachRow' });
      const [r] = await rs.json<{ rows: string; ids: string }>();
      return { rows: Number(r!.rows), ids: Number(r!.ids) };
    },
    async close() {
      for (const s of sets) await s.stop();
      await stopPipeline();
      await store.close();
    },
  };
}

/**
 * The test file's MSW server (the external systems, unhandled requests are errors) and its
 * harness, started before and closed after the file's tests.
 */
export function useHarness(): { server: ReturnType<typeof setupServer>; harness: () => PollHarness } {
  const server = setupServer();
  let h: PollHarness | undefined;
  beforeAll(async () => {
    server.listen({ onUnhandledRequest: 'error' });
    h = await startHarness();
  });
  afterAll(async () => {
    server.close();
    await h?.close();
  });
  return { server, harness: () => h! };
}
