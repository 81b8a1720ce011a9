import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/client.ts';
import { startGateway, type Gateway } from '../src/store/gateway.ts';
import { HeldIdsEndpoint } from '../src/store/held-ids-endpoint.ts';
import { migrate } from '../src/store/migration.ts';
import { heldIds } from '../src/store/stored-ids.ts';
import { MemoryTransport } from '../src/transport/memory.ts';
import { Processor } from '../src/processor/processor.ts';
import { TopicNames } from '../src/processor/topic-names.ts';

/**
 * `haidang store` answers the workers' "which of these ids do you hold" from the ids their
 * inserts stored, asking chDB only of the rest. Whatever reaches the folder by another road —
 * an INSERT … SELECT, a write to the ids table itself — must still be found.
 */
let gateway: Gateway;
let store: Store;
beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'haidang-held-ids-'));
  gateway = await startGateway({ dataDir, host: '127.0.0.1', port: 0, username: 'writer', password: 'held-ids-pw', logger: pino({ level: 'silent' }), soleWriter: true });
  store = await openStore({ url: gateway.url, username: 'writer', password: 'held-ids-pw', dataDir });
  await migrate(store.client);
});
afterAll(async () => {
  await store.close();
  await gateway.close();
});

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
const report = (id: string, i: number) => JSON.stringify({ id, version: 1, stream: 'capacity', source: 'held-ids-test', entity: `f-${i % 5}`, observedAt: at(i), receivedAt: at(i), payload: { tier: 2, bedsTotal: 200, bedsOccupied: 100, oxygenBedsTotal: 80, oxygenBedsOccupied: 10, patientsBySupport: { mask: 5, hfnc: 3, niv: 1, invasive: 1, ecmo: 0 }, icuBedsTotal: 20, icuBedsOccupied: 5, ventilatorsTotal: 10, ventilatorsInUse: 3, oxygenStockLitres: 50000 } });

async function count(query: string): Promise<number> {
  const rs = await store.client.query({ query, format: 'JSONEachRow' });
  return Number(((await rs.json()) as Array<{ n: string }>)[0]!.n);
}

it('a worker over `haidang store` stores each id once: resends, and ids that reached the store by other statements', async () => {
  const transport = new MemoryTransport({ durableGroups: ['g'], lingerMs: 0 });
  const topics = new TopicNames('held.');
  await transport.ensureTopics(topics.all(), 2);
  const processor = new Processor({ transport, store: store.client, logger: pino({ level: 'silent' }), topics, groupId: 'g' });
  await processor.start();
  const topic = topics.of('capacity');
  // a resend of 20,000 (a chunk redelivered after a rebalance): its ids are asked of chDB, in a statement over 256 KiB
  const ids = Array.from({ length: 20_000 }, () => uuidv7());
  const send = (list: string[], from = 0) => transport.publish(topic, list.map((id, i) => ({ key: `f-${(from + i) % 5}`, value: report(id, from + i) })));
  await send(ids);
  // every id of a resend is one the store's memory keeps: looked up, found, counted
  await send(ids);
  expect(processor.counters, JSON.stringify(processor.counters.deadLetterReasons)).toMatchObject({ stored: 20_000, alreadyStored: 20_000 });
  // a row that came by INSERT … SELECT (no worker insert the store could read ids from)
  const other = uuidv7();
  await store.client.command({ query: `INSERT INTO capacity_raw SELECT * REPLACE (toUUID('${other}') AS id, 9 AS log_offset) FROM (SELECT * FROM capacity_raw WHERE id = toUUID('${ids[7]}'))` });
  expect([...(await heldIds(store.client, 'capacity', [other, uuidv7()]))]).toEqual([other]);
  // an id written into the ids table alone
  const onlyInIds = uuidv7();
  await store.client.command({ query: `INSERT INTO capacity_ids_by_time VALUES ('${onlyInIds}', 'f-0', '2026-01-01 00:00:00.000')` });
  expect([...(await heldIds(store.client, 'capacity', [onlyInIds, uuidv7(), ids[0]!]))].sort()).toEqual([onlyInIds, ids[0]!].sort());
  await send([other], 7);
  expect(processor.counters.alreadyStored).toBe(20_001);
  expect(await count(`SELECT count() AS n FROM capacity_raw WHERE source = 'held-ids-test'`)).toBe(20_001);
  // and new ids after all that are stored
  await send([uuidv7(), uuidv7()], 600);
  expect(processor.counters.stored).toBe(20_002);
  await processor.stop();
  await transport.close();
});

it('a view that writes the ids table on its own schedule (refreshable) makes the store ask chDB for every id while it exists (the tenth round)', async () => {
  const later = uuidv7();
  // EMPTY: its first refresh comes a second later, after the lookup below has read the newest stored time
  await store.client.command({ query: `CREATE MATERIALIZED VIEW refresh_ids REFRESH EVERY 1 SECOND APPEND TO vaccination_ids_by_time EMPTY AS SELECT toUUID('${later}') AS id, 'w1' AS entity, toDateTime64('2026-01-01 00:00:00', 3, 'UTC') AS observed_at` });
  expect([...(await heldIds(store.client, 'vaccination', [uuidv7()]))]).toEqual([]);
  let found: string[] = [];
  for (let i = 0; i < 60 && !found.length; i++) {
    await new Promise((ok) => setTimeout(ok, 200));
    found = [...(await heldIds(store.client, 'vaccination', [later]))];
  }
  expect(found).toEqual([later]);
  await store.client.command({ query: 'DROP VIEW refresh_ids' });
});

it('the held-ids path is for the writing account only, names a stream, and a ClickHouse server without it (404) is asked in SQL', async () => {
  const auth = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  const wrong = await fetch(`${gateway.url}/haidang/held-ids?stream=capacity`, { method: 'POST', headers: { authorization: auth('writer', 'nope') }, body: '' });
  expect(wrong.status).toBe(403);
  await expect(new HeldIdsEndpoint(gateway.url, auth('writer', 'held-ids-pw')).held('nothing', [uuidv7()])).rejects.toMatchObject({ code: '60' });
  const server = createServer((_, res) => res.writeHead(404).end('There is no handle /haidang/held-ids'));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const endpoint = new HeldIdsEndpoint(`http://127.0.0.1:${(server.address() as { port: number }).port}`, auth('a', 'b'));
  expect(await endpoint.held('capacity', [uuidv7()])).toBeUndefined();
  server.close();
  // no request the second time: it is known
  expect(await endpoint.held('capacity', [uuidv7()])).toBeUndefined();
});
