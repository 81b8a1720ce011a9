import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { idFilesFor } from '../src/store/client.ts';
import { migrate } from '../src/store/migration.ts';
import type { Store } from '../src/store/client.ts';
import { differingIds, heldIds } from '../src/store/stored-ids.ts';
import { eventLine, fingerprintSql, rawColumns, rawStructure } from '../src/store/rows.ts';
import { sqlString } from '../src/store/sql-string.ts';
import type { AnyEvent } from '../src/contracts/registry.ts';
import { validEvent } from './fixtures/events.ts';
import { tempStore } from './fixtures/temp-store.ts';

let store: Store;
beforeAll(async () => {
  store = await tempStore();
  await migrate(store.client);
});
afterAll(() => store.close());

/**
 * The uniqueness check reads the stored ids by their time (migration 0004): a stored id is
 * found whatever version it is — a UUIDv7 (its time from its first 48 bits, whatever its
 * variant bits), a v4, a v1, the nil UUID — in whatever case it is sent, and a chunk mixing
 * versions finds each of them.
 */
it('finds every stored id, of any UUID version and case, and no other', async () => {
  const stored = ['0190a5c8-3b6c-7c1e-8f3a-1234567890ab', '0190a5c8-3b6c-7c1e-0f3a-1234567890ab', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', '0190a5c8-3b6c-1c1e-8f3a-1234567890ab', '00000000-0000-0000-0000-000000000000'];
  await store.client.command({ query: `INSERT INTO capacity_ids_by_time SELECT toUUID(x), 'e', now64(3) FROM (SELECT arrayJoin([${stored.map((i) => `'${i}'`).join(',')}]) AS x)` });
  const asked = [...stored.map((i) => i.toUpperCase()), '0190a5c8-3b6c-7c1e-8f3a-1234567890ac', '01 not a uuid', 'f47ac10b-58cc-4372-a567-0e02b2c3d470'];
  expect([...(await heldIds(store.client, 'capacity', asked))].sort()).toEqual([...stored].sort());
  for (const one of stored) expect([...(await heldIds(store.client, 'capacity', [one]))]).toEqual([one]);
  expect((await heldIds(store.client, 'capacity', ['0190a5c8-3b6c-7c1e-8f3a-1234567890ac'])).size).toBe(0);
  expect((await heldIds(store.client, 'capacity', [])).size).toBe(0);
});

/**
 * A big lookup (a gathered chunk: thousands of ids) reaches an embedded chDB without its ids
 * in the query text — it reads them from a file — and must find the same ids: v7 spread over
 * time, v4, upper case, and leave no file behind. Over HTTP the ids stay in the query text,
 * and the same ids are found.
 */
it('a lookup of thousands of ids finds the same ids, through a file in chDB', async () => {
  const v7 = (ms: number, i: number) => `${ms.toString(16).padStart(12, '0').replace(/^(.{8})/, '$1-')}-7${(i % 4096).toString(16).padStart(3, '0')}-8${(i % 4096).toString(16).padStart(3, '0')}-${i.toString(16).padStart(12, '0')}`;
  const day = 86_400_000;
  const wanted = Array.from({ length: 5_000 }, (_, i) => v7(Date.UTC(2026, 0, 1) + (i % 50) * day + i, i));
  const held = wanted.filter((_, i) => i % 7 === 0).concat(['f47ac10b-58cc-4372-a567-0e02b2c3d479']);
  await store.client.command({ query: `INSERT INTO capacity_ids_by_time SELECT toUUID(x), 'e', now64(3) FROM (SELECT arrayJoin(splitByChar(',', '${held.join(',')}')) AS x)` });
  const asked = [...wanted.map((w, i) => (i % 2 ? w.toUpperCase() : w)), 'F47AC10B-58CC-4372-A567-0E02B2C3D479', 'f47ac10b-58cc-4372-a567-0e02b2c3d470'];
  const lists = idFilesFor(store.client);
  expect(lists === undefined).toBe(store.mode === 'server');
  const queries: string[] = [];
  const original = lists?.rows.bind(lists);
  const spy = lists && original && vi.spyOn(lists, 'rows').mockImplementation((ids, query) => original(ids, (source) => (queries.push(query(source)), query(source))));
  const found = await heldIds(store.client, 'capacity', asked);
  spy?.mockRestore();
  expect([...found].sort()).toEqual([...held].sort());
  if (store.mode === 'chdb') {
    expect(queries).toHaveLength(1);
    expect(queries[0]!.length).toBeLessThan(2_000);
    expect(queries[0]).toMatch(/SELECT id FROM file\('.*haidang-lookups-.*\.tsv', TabSeparated, 'id UUID'\)/);
    const { readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const lookups = readdirSync(tmpdir()).filter((d) => d.startsWith('haidang-lookups-')).map((d) => join(tmpdir(), d));
    expect(lookups.flatMap((d) => readdirSync(d).filter((f) => f.startsWith(`${process.pid}-`)))).toEqual([]);
  }
});

/**
 * An id the ids table holds but whose stored row cannot be read back proves neither a resend
 * nor a conflict: asked with `unseen`, it goes there (the ingest publishes it and lets the
 * processor decide), not among the ids "stored with other content" that a source is told to
 * replace with new ids (and then doubles its data).
 */
it('tells an id held without a readable row apart from one stored with other content', async () => {
  const id = '0191eeee-0000-7000-8000-000000000001';
  await store.client.command({ query: `INSERT INTO capacity_ids_by_time SELECT toUUID('${id}'), 'e', now64(3)` });
  const line = eventLine({ ...(validEvent('capacity') as AnyEvent), id }, { partition: 0, offset: '0' });
  const unseen = new Set<string>();
  expect([...(await differingIds(store.client, 'capacity', [{ id, line }], unseen))]).toEqual([]);
  expect([...unseen]).toEqual([id]);
  // without `unseen` (the processor's own check), it counts as differing, as before
  expect([...(await differingIds(store.client, 'capacity', [{ id, line }]))]).toEqual([id]);
});

/**
 * A report's fingerprint is the same whatever the session's output settings: an export's
 * `date_time_output_format = 'iso'` once changed the text of every time, so a stored report
 * read back on one session and the same report sent again, read on another, differed, and the
 * resend was refused as "already stored with other content" (the attacker's finding F1).
 */
it('fingerprints a report by its values, not by how the session writes times', async () => {
  const event = { ...(validEvent('prices') as AnyEvent), id: '0191eeee-0000-7000-8000-0000000000f1' };
  const line = eventLine(event, { partition: 0, offset: '7' });
  await store.client.command({ query: `INSERT INTO prices_raw (${rawColumns('prices').join(', ')}) SELECT * FROM format(TabSeparated, ${sqlString(rawStructure('prices'))}, ${sqlString(line)})` });
  const fp = async (settings: Record<string, string>) => (await (await store.client.query({ query: `SELECT ${fingerprintSql('prices')} AS fp FROM prices_raw WHERE id = '${event.id}'`, format: 'JSONEachRow', clickhouse_settings: settings })).json<{ fp: string }>())[0]!.fp;
  expect(await fp({ date_time_output_format: 'iso' })).toBe(await fp({ date_time_output_format: 'simple' }));
  // and the resend (received later, at another offset) is no conflict
  expect([...(await differingIds(store.client, 'prices', [{ id: event.id, line: eventLine({ ...event, receivedAt: new Date().toISOString() }, { partition: 1, offset: '9' }) }]))]).toEqual([]);
});
