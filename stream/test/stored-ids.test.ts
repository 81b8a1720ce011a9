import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../src/store/migration.ts';
import type { Store } from '../src/store/client.ts';
import { heldIds } from '../src/store/stored-ids.ts';
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
