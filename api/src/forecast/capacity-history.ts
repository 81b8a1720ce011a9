import type { ClickHouseClient } from '@clickhouse/client';
import { selectRows } from '../state/store-query.ts';
import { isoFromCh } from '../state/time-range.ts';

/** what a forecast is about: one facility, one tier summed over facilities, or the city */
export type ForecastScope = { kind: 'city' } | { kind: 'tier'; tier: 1 | 2 | 3 } | { kind: 'facility'; facility: string };

/** hours of history a forecast learns from (the band and the choice of trend need 3 days + the horizon) */
export const historyHours = 14 * 24;

const hourMs = 3_600_000;

export interface HourlyCapacity {
  /** start of each hour, oldest first; the last is the forecast's origin */
  hours: number[];
  beds: { occupied: number[]; total: number[] };
  oxygenBeds: { occupied: number[]; total: number[] };
  facilities: number;
}

interface Row {
  entity: string;
  tier: number;
  t: string;
  beds_total: number;
  beds_occupied: number;
  oxygen_beds_total: number;
  oxygen_beds_occupied: number;
}

const scopeWhere = (s: ForecastScope) => (s.kind === 'tier' ? 'tier = {tier:UInt8}' : s.kind === 'facility' ? 'entity = {facility:String}' : '1');

/** one facility's last report of one hour, as `capacity_1h` keeps it */
export interface HourReport {
  entity: string;
  tier: number;
  /** start of the hour, epoch ms */
  t: number;
  bedsTotal: number;
  bedsOccupied: number;
  oxygenBedsTotal: number;
  oxygenBedsOccupied: number;
}

/**
 * The scope's hourly occupancy over the 14 days up to its newest report: each facility's last
 * report of each hour (the `capacity_1h` rollup, corrections applied by argMax), summed.
 * Undefined when the scope has no report at all.
 */
export async function hourlyCapacity(client: ClickHouseClient, scope: ForecastScope): Promise<HourlyCapacity | undefined> {
  const where = scopeWhere(scope);
  const params = { tier: scope.kind === 'tier' ? scope.tier : 0, facility: scope.kind === 'facility' ? scope.facility : '', hours: historyHours };
  const rows = await selectRows<Row>(
    client,
    `WITH (SELECT max(bucket) FROM capacity_1h WHERE ${where}) AS origin
     SELECT entity, tier, toString(bucket) AS t, l.beds_total AS beds_total, l.beds_occupied AS beds_occupied,
       l.oxygen_beds_total AS oxygen_beds_total, l.oxygen_beds_occupied AS oxygen_beds_occupied
     FROM (SELECT entity, tier, bucket, argMaxMerge(last) AS l FROM capacity_1h
           WHERE ${where} AND bucket > origin - INTERVAL {hours:UInt32} HOUR AND bucket <= origin GROUP BY entity, tier, bucket)
     ORDER BY bucket`,
    params,
  );
  return sumHourly(
    rows.map((r) => ({
      entity: r.entity,
      tier: Number(r.tier),
      t: Date.parse(isoFromCh(r.t)!),
      bedsTotal: Number(r.beds_total),
      bedsOccupied: Number(r.beds_occupied),
      oxygenBedsTotal: Number(r.oxygen_beds_total),
      oxygenBedsOccupied: Number(r.oxygen_beds_occupied),
    })),
  );
}

/**
 * Hour reports (sorted by hour) → one series per measure: each facility's value carried
 * forward over hours it did not report and back to the first hour (so a facility that starts
 * reporting mid-window is not read as a sudden rise), then summed over facilities.
 */
export function sumHourly(reports: readonly HourReport[]): HourlyCapacity | undefined {
  if (!reports.length) return undefined;
  const first = reports[0]!.t;
  const n = Math.round((reports[reports.length - 1]!.t - first) / hourMs) + 1;
  const hours = Array.from({ length: n }, (_, i) => first + i * hourMs);
  const zeros = () => new Array<number>(n).fill(0);
  const out = { beds: { occupied: zeros(), total: zeros() }, oxygenBeds: { occupied: zeros(), total: zeros() } };

  const byFacility = new Map<string, HourReport[]>();
  for (const r of reports) {
    const id = `${r.entity}\u0000${r.tier}`;
    const list = byFacility.get(id);
    if (list) list.push(r);
    else byFacility.set(id, [r]);
  }
  for (const list of byFacility.values()) {
    let next = 0;
    let current = list[0]!;
    for (let i = 0; i < n; i++) {
      while (next < list.length && list[next]!.t <= hours[i]!) current = list[next++]!;
      out.beds.occupied[i]! += current.bedsOccupied;
      out.beds.total[i]! += current.bedsTotal;
      out.oxygenBeds.occupied[i]! += current.oxygenBedsOccupied;
      out.oxygenBeds.total[i]! += current.oxygenBedsTotal;
    }
  }
  return { hours, ...out, facilities: byFacility.size };
}
