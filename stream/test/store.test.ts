import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrations } from '../src/store/migration.ts';
import { bulkInsertFor } from '../src/store/client.ts';
import { deadLetterColumns, eventLine, rawColumns } from '../src/store/rows.ts';
import { dataStreams, type AnyEvent } from '../src/contracts/registry.ts';
import type { Store } from '../src/store/client.ts';
import { queryRows, tempStore } from './fixtures/temp-store.ts';
import { validEvent } from './fixtures/events.ts';

let store: Store;
beforeAll(async () => {
  store = await tempStore();
});
afterAll(async () => store.close());

const insert = (table: string, values: Record<string, unknown>[], token: string) =>
  store.client.insert({ table, values, format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: token, deduplicate_blocks_in_dependent_materialized_views: 1 } });

/** events into their raw table the way the processor stores them: TabSeparated lines through the bulk path */
const store_ = (events: AnyEvent[], token: string, offset = 1) =>
  bulkInsertFor(store.client)({
    table: `${events[0]!.stream}_raw`,
    columns: rawColumns(events[0]!.stream),
    body: Buffer.from(events.map((e, i) => `${eventLine(e, { partition: 0, offset: String(offset + i) })}\n`).join('')),
    settings: { insert_deduplicate: 1, insert_deduplication_token: token, deduplicate_blocks_in_dependent_materialized_views: 1 },
    queryId: crypto.randomUUID(),
  });

describe('migrations', () => {
  it('apply once, are recorded, and are safe to re-run', async () => {
    await migrate(store.client); // a shared store (CLICKHOUSE_URL) may have them already
    expect(await migrate(store.client)).toEqual([]);
    const rows = await queryRows<{ id: number }>(store, 'SELECT id FROM schema_migrations FINAL ORDER BY id');
    expect(rows.map((r) => Number(r.id))).toEqual(migrations.map((m) => m.id));
  });

  it('refuse an applied migration that was edited afterwards', async () => {
    const edited = migrations.map((m) => ({ ...m, statements: [...m.statements, 'SELECT 1'] }));
    await expect(migrate(store.client, undefined, edited)).rejects.toMatchObject({ code: 'HD_MIGRATION_CHANGED' });
  });
});

describe('insert deduplication', () => {
  it('the same token twice stores one copy', async () => {
    const e = validEvent('capacity', { entity: 'dedup-1' });
    await store_([e], 'test-0-1-1');
    await store_([e], 'test-0-1-1');
    const [r] = await queryRows<{ n: string }>(store, "SELECT count() n FROM capacity_raw WHERE entity = 'dedup-1'");
    expect(Number(r!.n)).toBe(1);
  });

  it('a token does not carry over to the next insert (chDB keeps SET values on its session)', async () => {
    const row = (offset: number) => ({ id: crypto.randomUUID(), entity: 'leak-1', source: 'test', observed_at: '2022-08-15 00:00:00.000', received_at: '2022-08-15 00:00:00.000', version: 1, log_partition: 9, log_offset: offset, commodity: 'rice', unit: 'kg', price_vnd: 1 });
    await insert('prices_raw', [row(1)], 'leak-token');
    await store.client.insert({ table: 'prices_raw', values: [row(2)], format: 'JSONEachRow' });
    const [r] = await queryRows<{ n: string }>(store, "SELECT count() n FROM prices_raw WHERE entity = 'leak-1'");
    expect(Number(r!.n)).toBe(2);
  });

  it('guard: a MergeTree without non_replicated_deduplication_window stores the duplicate', async () => {
    const table = `guard_no_window_${process.pid}`;
    await store.client.command({ query: `CREATE TABLE ${table} (id UInt32) ENGINE = MergeTree ORDER BY id` });
    await insert(table, [{ id: 1 }], 'same');
    await insert(table, [{ id: 1 }], 'same');
    const [r] = await queryRows<{ n: string }>(store, `SELECT count() n FROM ${table}`);
    expect(Number(r!.n)).toBe(2);
  });
});

describe('corrections', () => {
  it('a later report for the same observation supersedes in as-of and latest; raw keeps both', async () => {
    const first = validEvent('capacity', { entity: 'corr-1', observedAt: '2022-08-15T08:00:00+07:00', receivedAt: '2022-08-15T08:01:00+07:00' });
    const fix = validEvent('capacity', { entity: 'corr-1', observedAt: '2022-08-15T08:00:00+07:00', receivedAt: '2022-08-15T09:30:00+07:00' });
    fix.payload.oxygenBedsOccupied = 70;
    const older = validEvent('capacity', { entity: 'corr-1', observedAt: '2022-08-15T06:00:00+07:00', receivedAt: '2022-08-15T10:00:00+07:00' });
    older.payload.oxygenBedsOccupied = 5;
    await store_([first], 'c1', 10);
    await store_([fix], 'c2', 11);
    // a late report about an earlier time must not replace the current state
    await store_([older], 'c3', 12);
    const raw = await queryRows<{ n: string }>(store, "SELECT count() n FROM capacity_raw WHERE entity = 'corr-1'");
    expect(Number(raw[0]!.n)).toBe(3);
    const asof = await queryRows<{ o: number }>(store, "SELECT oxygen_beds_occupied o FROM capacity_asof FINAL WHERE entity = 'corr-1' ORDER BY observed_at");
    expect(asof.map((r) => r.o)).toEqual([5, 70]);
    const latest = await queryRows<{ o: number }>(store, "SELECT oxygen_beds_occupied o FROM capacity_latest FINAL WHERE entity = 'corr-1'");
    expect(latest.map((r) => r.o)).toEqual([70]);
    const hourly = await queryRows<{ o: number }>(store, "SELECT tupleElement(argMaxMerge(last), 'oxygen_beds_occupied') o FROM capacity_1h WHERE entity = 'corr-1' GROUP BY bucket ORDER BY bucket");
    expect(hourly.map((r) => r.o)).toEqual([5, 70]);
    // the minute rollup is a view over raw (migration 0002): same columns, same answer
    const minutes = await queryRows<{ o: number; n: string }>(store, "SELECT tupleElement(argMaxMerge(last), 'oxygen_beds_occupied') o, uniqExactMerge(reports) n FROM capacity_1m WHERE entity = 'corr-1' GROUP BY bucket ORDER BY bucket");
    expect(minutes.map((r) => [r.o, Number(r.n)])).toEqual([[5, 1], [70, 2]]);
  });
});

describe('row encoding (TabSeparated lines)', () => {
  it('fills exactly the columns each raw table declares, in order', async () => {
    for (const stream of dataStreams) {
      const cols = await queryRows<{ name: string; default_kind: string }>(store, `SELECT name, default_kind FROM system.columns WHERE database = currentDatabase() AND table = '${stream}_raw' ORDER BY position`);
      expect(rawColumns(stream), stream).toEqual(cols.filter((c) => c.default_kind === '').map((c) => c.name));
    }
    const dl = await queryRows<{ name: string }>(store, "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'deadletter' ORDER BY position");
    expect(deadLetterColumns).toEqual(dl.map((c) => c.name));
  });

  it('stores text with tabs, newlines, backslashes and Vietnamese exactly as sent', async () => {
    const e = validEvent('vaccination', { entity: 'tsv-1' });
    const text = 'Tầng 2:\tđầy\nC:\\oxy \\N "trích" \r';
    if (e.stream !== 'vaccination') throw new Error('fixture');
    e.payload.vaccine = text;
    await store_([e], 'tsv-1');
    const [r] = await queryRows<{ m: string }>(store, "SELECT vaccine m FROM vaccination_raw WHERE entity = 'tsv-1'");
    expect(r!.m).toBe(text);
  });
});
