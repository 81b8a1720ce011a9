import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedPipeline } from '../src/processor/embedded-pipeline.ts';
import type { Store } from '../src/store/client.ts';
import { migrate } from '../src/store/migration.ts';
import { validEvent } from './fixtures/events.ts';
import { queryRows, tempStore } from './fixtures/temp-store.ts';

let store: Store;
beforeAll(async () => {
  store = await tempStore();
  await migrate(store.client);
});
afterAll(() => store.close());

const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();

it('the same events sent several times at once are stored once and none is refused as a conflicting id', async () => {
  const p = await startEmbeddedPipeline({ store: store.client, logger: pino({ level: 'silent' }), prefix: 'resend.' });
  try {
    for (let round = 0; round < 2; round++) {
      const source = `resend-${round}`;
      const ids = Array.from({ length: 1000 }, () => uuidv7());
      // each send is stamped when it is received, as the ingest does
      const send = (k: number) => ids.map((id, i) => ({ key: `f-${i % 50}`, value: JSON.stringify({ ...validEvent('capacity', { id, entity: `f-${i % 50}`, observedAt: at(round * 10_000 + i), receivedAt: at(round * 10_000 + 5000 + k) }), source }) }));
      const before = p.processor.counters.deadLettered;
      await Promise.all([0, 1, 2, 3, 4].map((k) => p.transport.publish(p.topics.of('capacity'), send(k))));
      expect(p.processor.counters.deadLettered - before, `round ${round}: ${JSON.stringify(p.processor.counters.deadLetterReasons)}`).toBe(0);
      expect(await queryRows(store, `SELECT count() AS n FROM capacity_raw WHERE source = '${source}'`)).toEqual([{ n: 1000 }]);
    }
  } finally {
    await p.stop();
  }
});
