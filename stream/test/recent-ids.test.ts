import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { RecentIds } from '../src/store/recent-ids.ts';
import { newestIdMillis } from '../src/store/stored-ids.ts';
import { migrate } from '../src/store/migration.ts';
import type { Store } from '../src/store/client.ts';
import { tempStore } from './fixtures/temp-store.ts';

let store: Store;
beforeAll(async () => {
  store = await tempStore();
  await migrate(store.client);
});
afterAll(async () => store.close());

const at = (msecs: number) => uuidv7({ msecs });

describe('the ids a sole writer stored lately', () => {
  it('rules out only UUIDv7 ids newer than anything stored and not kept; everything else goes to the store', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    await store.client.command({ query: `INSERT INTO vaccination_ids_by_time (id, entity, observed_at) VALUES ('${at(t0)}', 'e', now64(3))` });
    const recent = new RecentIds((s) => newestIdMillis(store.client, s));
    // before the store has been asked, nothing is ruled out
    const early = at(t0 + 5);
    expect(recent.toLookUp('vaccination', [early])).toEqual([early]);
    await recent.prime('vaccination');

    const older = at(t0 - 1);
    const same = at(t0);
    const v4 = uuidv4();
    const upper = at(t0 + 10).toUpperCase();
    const newer = [at(t0 + 1), at(t0 + 2_000)];
    expect(recent.toLookUp('vaccination', [older, same, v4, upper, 'not-a-uuid', ...newer])).toEqual([older, same, v4, 'not-a-uuid']);

    // once stored, an id is a possible resend again, in any case; a row refused by the store is not stored
    recent.stored('vaccination', [newer[0]!, newer[1]!], new Set([1]));
    expect(recent.toLookUp('vaccination', [...newer, newer[0]!.toUpperCase()])).toEqual([newer[0], newer[0]!.toUpperCase()]);
    // another stream's ids are not this one's
    await recent.prime('prices');
    expect(recent.toLookUp('prices', newer)).toEqual([]);
  });

  it('does not trust a newest time read while an insert it was not told of yet ended', async () => {
    const recent = new RecentIds((s) => newestIdMillis(store.client, s));
    const t0 = Date.UTC(2026, 2, 1);
    const id = at(t0);
    // the read starts; before it answers, an insert of the stream ends (its ids may be missing from the read)
    const priming = recent.prime('prices');
    recent.stored('prices', [id]);
    await priming;
    expect(recent.toLookUp('prices', [at(t0 + 1)])).toHaveLength(1);
    // the next read is trusted
    await recent.prime('prices');
    expect(recent.toLookUp('prices', [at(Date.now() + 60_000)])).toEqual([]);
  });

  it('forgets the oldest ids in bulk, and then sends every id as old as they were to the store', async () => {
    const recent = new RecentIds((s) => newestIdMillis(store.client, s));
    await recent.prime('dossiers');
    const t0 = Date.UTC(2026, 1, 1);
    const first = Array.from({ length: 300_000 }, (_, i) => at(t0 + i));
    recent.stored('dossiers', first);
    // both generations kept: every stored id is a possible resend
    expect(recent.toLookUp('dossiers', [first[0]!, first[299_999]!])).toEqual([first[0], first[299_999]]);
    const second = Array.from({ length: 300_000 }, (_, i) => at(t0 + 300_000 + i));
    recent.stored('dossiers', second);
    // the first generation (262,144 ids) is gone: ids as old as its newest are looked up, newer ones not kept are not
    const forgotten = first[100]!;
    const betweenForgottenAndKept = at(t0 + 262_143);
    expect(recent.toLookUp('dossiers', [forgotten, betweenForgottenAndKept, first[270_000]!, second[5]!])).toEqual([forgotten, betweenForgottenAndKept, first[270_000], second[5]]);
    expect(recent.toLookUp('dossiers', [at(t0 + 700_000)])).toEqual([]);
  });
});
