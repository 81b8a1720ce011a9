import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedPipeline } from '../src/processor/embedded-pipeline.ts';
import type { Store } from '../src/store/client.ts';
import { migrate } from '../src/store/migration.ts';
import { completeTornInserts } from '../src/store/torn-inserts.ts';
import { queryRows, tempStore } from './fixtures/temp-store.ts';

let store: Store;
beforeAll(async () => {
  store = await tempStore();
  await migrate(store.client);
});
afterAll(() => store.close());

const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
// each case reports other times: two reports of one facility and time are a correction, which the as-of table keeps one of
let round = 0;
const report = (i: number, source: string) => JSON.stringify({ id: uuidv7(), version: 1, stream: 'capacity', source, entity: `f-${i % 5}`, observedAt: at(i), receivedAt: at(i), payload: { tier: 2, bedsTotal: 200, bedsOccupied: 100, oxygenBedsTotal: 80, oxygenBedsOccupied: i % 80, patientsBySupport: { mask: 5, hfnc: 3, niv: 1, invasive: 1, ecmo: 0 }, icuBedsTotal: 20, icuBedsOccupied: 5, ventilatorsTotal: 10, ventilatorsInUse: 3, oxygenStockLitres: 50000 } });
const count = async (sql: string) => Number(Object.values((await queryRows(store, sql))[0]!)[0]);
const sync = { lightweight_deletes_sync: '2' };

/**
 * A SIGKILL inside an insert commits raw's part and then any subset of its views' parts (a
 * helper's 170 kills: none of them, the ids table alone, latest alone, the 1 h rollup alone,
 * all but the 1 d rollup). The store's next opener runs the views again over the newest
 * inserts, so every shape ends with every view holding the block. The tears are made here by
 * deleting the block from the views it should lack.
 */
it.each([
  ['raw only: no view holds the block', ['capacity_ids_by_time', 'capacity_asof', 'capacity_latest'], 50],
  ['raw and the ids table, no other view (the lookup would count a retry as stored)', ['capacity_asof', 'capacity_latest'], 0],
])('%s', async (_, tornFrom, missing) => {
  const source = `torn-${tornFrom.length}`;
  const first = ++round * 1000;
  const p = await startEmbeddedPipeline({ store: store.client, logger: pino({ level: 'silent' }), prefix: `${source}.` });
  await p.transport.publish(p.topics.of('capacity'), Array.from({ length: 50 }, (_, i) => ({ key: `f-${i % 5}`, value: report(first + i, source) })));
  await p.stop();
  const ids = `SELECT id FROM capacity_raw WHERE source = '${source}'`;
  for (const t of tornFrom) await store.client.command({ query: `DELETE FROM ${t} WHERE id IN (${ids})`, clickhouse_settings: sync });
  expect(await count(`SELECT count() FROM capacity_asof FINAL WHERE source = '${source}'`)).toBe(0);
  const completed = await completeTornInserts(store.client);
  expect(completed.capacity).toBe(missing);
  expect({
    raw: await count(`SELECT count() FROM capacity_raw WHERE source = '${source}'`),
    ids: await count(`SELECT count() FROM capacity_ids_by_time FINAL WHERE id IN (${ids})`),
    asof: await count(`SELECT count() FROM capacity_asof FINAL WHERE source = '${source}'`),
    latest: await count(`SELECT count() FROM capacity_latest FINAL WHERE source = '${source}'`),
  }).toEqual({ raw: 50, ids: 50, asof: 50, latest: 5 });
});
