import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openStore, type Store } from '@haidang/stream';
import { kpiComputations, type KpiDefinition } from '../src/kpi/definitions.ts';
import { kpiSource, kpiSql, type KpiSource } from '../src/kpi/engine.ts';
import { resolveRange, type ResolvedRange, type Step } from '../src/state/time-range.ts';

const tz = 'Asia/Ho_Chi_Minh';
const def = { ...kpiComputations['capacity-oxygen-occupancy']!, id: 'capacity-oxygen-occupancy', name: { vi: '', en: '' }, target: 0.85, direction: 'max' } as KpiDefinition;
let dir: string;
let store: Store;

const ch = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);

/** ten days of reports from 6 facilities in 3 tiers, at odd minutes, with corrections and late reports */
function reports(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const start = Date.parse('2022-08-10T00:00:00Z');
  let n = 0;
  for (let f = 0; f < 6; f++) {
    for (let k = 0; k < 10 * 24 * 2; k++) {
      // every ~30 min, with a minute that wanders, some hours skipped
      if ((k * 7 + f) % 11 === 0) continue;
      const observed = start + k * 1_800_000 + ((k * 13 + f * 5) % 29) * 60_000;
      const total = 50 + f * 10;
      const row = (occupied: number, receivedLag: number) => ({
        id: `01890a5d-ac96-774b-bcce-${String(++n).padStart(12, '0')}`,
        source: 's',
        entity: `f-${f}`,
        observed_at: ch(observed),
        received_at: ch(observed + receivedLag),
        version: 1,
        log_partition: 0,
        log_offset: n,
        tier: 1 + (f % 3),
        oxygen_beds_total: total,
        oxygen_beds_occupied: occupied,
      });
      out.push(row((k * 17 + f * 3) % (total + 1), 60_000));
      // a correction of one report in five, received later: it wins in every bucket
      if (k % 5 === 0) out.push(row((k * 5 + f) % (total + 1), 3_600_000));
    }
  }
  // a facility whose only report before the ranges' first hour must not be counted in it
  for (const [at, occupied] of [['2022-08-11T01:10:00Z', 7], ['2022-08-11T05:20:00Z', 9]] as const) {
    out.push({ id: `01890a5d-ac96-774b-bcce-${String(++n).padStart(12, '0')}`, source: 's', entity: 'f-early', observed_at: ch(Date.parse(at)), received_at: ch(Date.parse(at) + 60_000), version: 1, log_partition: 0, log_offset: n, tier: 2, oxygen_beds_total: 10, oxygen_beds_occupied: occupied });
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'haidang-kpi-hourly-'));
  store = await openStore({ dataDir: dir });
  await migrate(store.client);
  await store.client.insert({ table: 'capacity_raw', values: reports(), format: 'JSONEachRow' });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const series = async (range: ResolvedRange, source: KpiSource) => {
  const rs = await store.client.query({ query: `SELECT toString(t) AS t, series, round(value, 12) AS value FROM (${kpiSql(def, { step: range.step }, source)}) ORDER BY t, series`, query_params: { from: range.from, to: range.to, tz }, format: 'JSONEachRow' });
  return rs.json();
};
const rangeOf = (from: string, to: string, step: Step) => resolveRange({ from, to, step }) as ResolvedRange;

describe('KPI series from the hourly last reports (migration 0006)', () => {
  it('give the same answer as raw for every step of an hour or more, in local buckets', async () => {
    for (const step of ['1h', '6h', '1d', '7d', '1M'] as const) {
      const range = rangeOf('2022-08-11T09:00:00+07:00', '2022-08-19T13:00:00+07:00', step);
      expect(kpiSource(def, range, tz), step).toBe('hourly');
      const raw = await series(range, 'raw');
      expect(raw.length, step).toBeGreaterThan(0);
      expect(await series(range, 'hourly'), step).toEqual(raw);
    }
  });

  it('are used only where they give that answer: otherwise raw', () => {
    expect(kpiSource(def, rangeOf('2022-08-10T07:30:00+07:00', '2022-08-19T00:00:00+07:00', '1h'), tz)).toBe('raw');
    expect(kpiSource(def, rangeOf('2022-08-10T00:00:00+07:00', '2022-08-11T00:00:00+07:00', '15m'), tz)).toBe('raw');
    // a zone half an hour off UTC: a local hour straddles two UTC hours
    expect(kpiSource(def, rangeOf('2022-08-10T00:00:00Z', '2022-08-19T00:00:00Z', '1d'), 'Asia/Kolkata')).toBe('raw');
    const other = { ...def, sql: def.sql.replace('oxygen_beds_total)}}', 'beds_total)}}') };
    expect(other.sql).toContain('beds_total)}}');
    expect(kpiSource(other, rangeOf('2022-08-10T00:00:00Z', '2022-08-19T00:00:00Z', '1d'), tz)).toBe('raw');
  });
});
