import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedPipeline } from '../src/processor/embedded-pipeline.ts';
import { bulkInsertFor, type Store } from '../src/store/client.ts';
import { migrate, migrations } from '../src/store/migration.ts';
import { answerQueries } from '../../tests/fixtures/store-a075968/answers.ts';
import { queryRows, tempStore } from './fixtures/temp-store.ts';

/**
 * A store made by commit a075968 — its schema exactly as that code applied it (the recorded
 * statements and checksums), its rows as that code wrote them (tests/fixtures/store-a075968,
 * produced by that code) — is upgraded in place by today's code: every migration it had is
 * accepted as it is, the new ones apply, and every row and every current-state answer is
 * still there.
 */
const fixture = resolve(import.meta.dirname, '../../tests/fixtures/store-a075968');
const recorded = JSON.parse(readFileSync(resolve(fixture, 'migrations.json'), 'utf8')) as Array<{ id: number; name: string; checksum: string; statements: string[] }>;
const answers = JSON.parse(readFileSync(resolve(fixture, 'answers.json'), 'utf8')) as Record<string, unknown[]>;

let store: Store;
beforeAll(async () => {
  store = await tempStore();
  // the old store: its migrations' statements, recorded as applied with its checksums
  await store.client.command({ query: `CREATE TABLE IF NOT EXISTS schema_migrations (id UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree ORDER BY id` });
  for (const m of recorded) {
    for (const statement of m.statements) await store.client.command({ query: statement });
    await store.client.insert({ table: 'schema_migrations', values: [{ id: m.id, name: m.name, checksum: m.checksum }], format: 'JSONEachRow' });
  }
  // its rows, written where that code wrote them (the views derive the rest, with that code's SQL)
  for (const file of readdirSync(fixture).filter((f) => f.endsWith('.tsv'))) {
    const [header, ...lines] = readFileSync(resolve(fixture, file), 'utf8').replace(/\n$/, '').split('\n');
    await bulkInsertFor(store.client)({ table: file.replace(/\.tsv$/, ''), columns: header!.split('\t'), body: Buffer.from(`${lines.join('\n')}\n`), settings: {}, queryId: crypto.randomUUID() });
  }
});
afterAll(async () => store.close());

async function answersNow(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(answerQueries)) out[name] = await queryRows(store, query);
  return out;
}

it('the restored store answers as commit a075968 left it', async () => {
  expect(await answersNow()).toEqual(answers);
});

it("today's code upgrades it in place: the old migrations are accepted, the new apply, every row and answer is still there", async () => {
  const applied = await migrate(store.client);
  expect(applied).toEqual(migrations.filter((m) => !recorded.some((r) => r.id === m.id)).map((m) => m.id));
  expect(await answersNow()).toEqual(answers);
  // the upgrade indexed every stored id: a resend of an old event is recognised
  const [ids] = await queryRows<{ n: string }>(store, 'SELECT uniqExact(id) AS n FROM capacity_ids_by_time');
  expect(Number(ids!.n)).toBe((answers['capacity: raw rows']![0] as { ids: number }).ids);
});

it('after the upgrade, an old event sent again is counted, not stored, and new events are stored', async () => {
  const [old] = await queryRows<Record<string, string | number>>(store, "SELECT toString(id) AS id, entity, observed_at, received_at FROM capacity_raw WHERE entity = 'fx-b' ORDER BY observed_at LIMIT 1");
  const p = await startEmbeddedPipeline({ store: store.client, logger: pino({ level: 'silent' }), groupId: 'upgrade', partitions: 2 });
  try {
    const [raw] = await queryRows<Record<string, unknown>>(store, `SELECT * FROM capacity_raw WHERE id = '${old!.id}'`);
    const r = raw as Record<string, number | string>;
    const iso = (t: string) => `${String(t).replace(' ', 'T')}Z`;
    const again = {
      id: r.id, version: 1, stream: 'capacity', source: r.source, entity: r.entity, observedAt: iso(String(r.observed_at)), receivedAt: new Date().toISOString(),
      payload: { tier: r.tier, bedsTotal: r.beds_total, bedsOccupied: r.beds_occupied, oxygenBedsTotal: r.oxygen_beds_total, oxygenBedsOccupied: r.oxygen_beds_occupied, patientsBySupport: { mask: r.o2_mask, hfnc: r.o2_hfnc, niv: r.o2_niv, invasive: r.o2_invasive, ecmo: r.o2_ecmo }, icuBedsTotal: r.icu_beds_total, icuBedsOccupied: r.icu_beds_occupied, ventilatorsTotal: r.ventilators_total, ventilatorsInUse: r.ventilators_in_use, oxygenStockLitres: r.oxygen_stock_litres, staffOnDuty: r.staff_on_duty },
    };
    const fresh = { ...again, id: crypto.randomUUID(), observedAt: '2022-08-17T00:00:00Z' };
    await p.transport.publish(p.topics.of('capacity'), [again, fresh].map((e) => ({ key: String(e.entity), value: JSON.stringify(e) })));
    expect(p.processor.counters).toMatchObject({ stored: 1, alreadyStored: 1, deadLettered: 0 });
    const [n] = await queryRows<{ n: string }>(store, 'SELECT count() AS n FROM capacity_raw');
    expect(Number(n!.n)).toBe((answers['capacity: raw rows']![0] as { n: number }).n + 1);
  } finally {
    await p.stop();
  }
});

it('a column change is a new migration that upgrades the store in place and keeps every row and answer (worked example)', async () => {
  // what adding an optional `notes` column to capacity would ship as: frozen statements in a new migration
  const addNotes = {
    id: 9001,
    name: 'capacity: optional notes (example)',
    statements: [
      'ALTER TABLE capacity_raw ADD COLUMN IF NOT EXISTS notes Nullable(String) AFTER staff_on_duty',
      'ALTER TABLE capacity_asof ADD COLUMN IF NOT EXISTS notes Nullable(String)',
      'ALTER TABLE capacity_latest ADD COLUMN IF NOT EXISTS notes Nullable(String) AFTER staff_on_duty',
      'DROP VIEW IF EXISTS capacity_asof_mv',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS capacity_asof_mv TO capacity_asof AS SELECT * EXCEPT (stored_at) FROM capacity_raw',
      'DROP VIEW IF EXISTS capacity_latest_mv',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS capacity_latest_mv TO capacity_latest AS SELECT * EXCEPT (stored_at), toUInt64(toUnixTimestamp(observed_at)) * 1000000000 + toUInt64(toUnixTimestamp(received_at)) % 1000000000 AS ver FROM capacity_raw',
    ],
  };
  const before = await answersNow();
  expect(await migrate(store.client, undefined, [...migrations, addNotes])).toEqual([9001]);
  expect(await migrate(store.client, undefined, [...migrations, addNotes])).toEqual([]);
  // the old rows and answers are untouched; the old rows read the new column as NULL
  expect(await answersNow()).toEqual(before);
  const [nulls] = await queryRows<{ n: string }>(store, 'SELECT countIf(notes IS NULL) AS n FROM capacity_raw');
  expect(Number(nulls!.n)).toBe((before['capacity: raw rows']![0] as { n: number }).n);
  // a new row with the column flows through the re-created views
  const [row] = await queryRows<Record<string, unknown>>(store, "SELECT * EXCEPT (stored_at, notes) FROM capacity_raw WHERE entity = 'fx-c' ORDER BY observed_at DESC LIMIT 1");
  await store.client.insert({ table: 'capacity_raw', values: [{ ...row, id: crypto.randomUUID(), observed_at: '2022-08-20 00:00:00.000', notes: 'máy thở thiếu' }], format: 'JSONEachRow' });
  const latest = await queryRows<{ notes: string | null }>(store, "SELECT notes FROM capacity_latest FINAL WHERE entity = 'fx-c'");
  expect(latest).toEqual([{ notes: 'máy thở thiếu' }]);
  const asof = await queryRows<{ n: string }>(store, "SELECT count() AS n FROM capacity_asof FINAL WHERE entity = 'fx-c' AND notes = 'máy thở thiếu'");
  expect(Number(asof[0]!.n)).toBe(1);
});
