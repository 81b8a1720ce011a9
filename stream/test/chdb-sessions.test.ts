import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/client.ts';

describe('the embedded store: several chDB sessions on one folder', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haidang-sessions-'));
    store = await openStore({ dataDir: dir, sessions: 3 });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = async <T>(query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<T>();

  it('answers a quick read while a long query runs, instead of queueing it behind', async () => {
    const order: string[] = [];
    // several seconds of one thread's work: far longer than a one-row read on any machine
    const long = rows('SELECT sum(cityHash64(number)) AS s FROM numbers(2000000000) SETTINGS max_threads = 1, max_execution_time = 60').then(() => order.push('long'));
    await new Promise((r) => setTimeout(r, 50));
    await rows('SELECT 1 AS one').then(() => order.push('quick'));
    await long;
    expect(order).toEqual(['quick', 'long']);
  });

  it('every session sees what another stored, and a statement’s settings do not follow it', async () => {
    await store.client.command({ query: 'CREATE TABLE t (id UInt32) ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100' });
    await store.client.insert({ table: 't', values: [{ id: 1 }], format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: 'a' } });
    // on whichever session they land, a second insert without a token is stored, and all reads see both rows
    await store.client.insert({ table: 't', values: [{ id: 2 }], format: 'JSONEachRow' });
    const counts = await Promise.all(Array.from({ length: 6 }, () => rows<{ n: string }>('SELECT count() AS n FROM t')));
    expect(counts.map((c) => Number(c[0]!.n))).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('a statement’s output settings (an export’s ISO times; quoted 64-bit numbers) end with it, on every session', async () => {
    const time = "SELECT toDateTime64('2022-01-01 00:00:00.123', 3, 'UTC') AS t, toUInt64(1) AS n";
    const iso = await Promise.all(Array.from({ length: 6 }, () => store.client.query({ query: time, format: 'JSONEachRow', clickhouse_settings: { date_time_output_format: 'iso', output_format_json_quote_64bit_integers: 1 } }).then((r) => r.json())));
    expect(iso.flat()).toEqual(Array.from({ length: 6 }, () => ({ t: '2022-01-01T00:00:00.123Z', n: '1' })));
    const after = await Promise.all(Array.from({ length: 6 }, () => rows(time)));
    expect(after.flat()).toEqual(Array.from({ length: 6 }, () => ({ t: '2022-01-01 00:00:00.123', n: 1 })));
    // interleaved, several to a session at once: each statement answers with its own settings
    const mixed = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? rows(time) : store.client.query({ query: time, format: 'JSONEachRow', clickhouse_settings: { date_time_output_format: 'iso', output_format_json_quote_64bit_integers: 1 } }).then((r) => r.json()))));
    expect(mixed.flat()).toEqual(Array.from({ length: 24 }, (_, i) => (i % 2 ? { t: '2022-01-01 00:00:00.123', n: 1 } : { t: '2022-01-01T00:00:00.123Z', n: '1' })));
  });
});
