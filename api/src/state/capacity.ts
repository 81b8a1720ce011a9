import type { ClickHouseClient } from '@clickhouse/client';
import { idsInWard, type Places } from '../places.ts';
import { selectRows } from './store-query.ts';
import { isoFromCh, steps, type ResolvedRange } from './time-range.ts';

export const capacitySorts = {
  freeOxygenBeds: 'free_oxygen_beds',
  oxygenOccupancy: 'oxygen_occupancy',
  freeBeds: 'free_beds',
  facility: 'entity',
  observedAt: 'observed_at',
} as const;

export interface CapacityFilter {
  tier?: number | undefined;
  ward?: string | undefined;
  facility?: string | undefined;
}

/** `entity IN` bound to the facilities of a ward, or nothing; unknown ward = no facility */
function entityFilter(places: Places, f: CapacityFilter): { sql: string; params: Record<string, unknown> } {
  const ids = f.facility ? [f.facility] : f.ward ? idsInWard(places, 'facilities', f.ward) : undefined;
  return {
    sql: `${f.tier ? ' AND tier = {tier:UInt8}' : ''}${ids ? ' AND entity IN {ids:Array(String)}' : ''}`,
    params: { tier: f.tier ?? 0, ids: ids ?? [] },
  };
}

/** current state per facility and tier (the newest report of each, corrections applied) */
export async function capacityNow(client: ClickHouseClient, places: Places, f: CapacityFilter & { sort: keyof typeof capacitySorts; order: 'asc' | 'desc' }) {
  const where = entityFilter(places, f);
  const rows = await selectRows<Record<string, string | number | null>>(
    client,
    `SELECT entity, tier, beds_total, beds_occupied, oxygen_beds_total, oxygen_beds_occupied,
       toInt64(oxygen_beds_total) - oxygen_beds_occupied AS free_oxygen_beds,
       toInt64(beds_total) - beds_occupied AS free_beds,
       if(oxygen_beds_total = 0, NULL, oxygen_beds_occupied / oxygen_beds_total) AS oxygen_occupancy,
       icu_beds_total, icu_beds_occupied, ventilators_total, ventilators_in_use, oxygen_stock_litres, staff_on_duty,
       toString(observed_at) AS observed_at, toString(received_at) AS received_at
     FROM capacity_latest FINAL WHERE 1${where.sql}
     ORDER BY ${capacitySorts[f.sort]} ${f.order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, entity, tier`,
    where.params,
    { streams: ['capacity'] },
  );
  const byId = new Map(places.facilities.map((p) => [p.id, p]));
  return rows.map((r) => {
    const p = byId.get(String(r.entity));
    return {
      facility: String(r.entity),
      name: p?.name ?? null,
      ward: p?.wardCode ?? null,
      tier: Number(r.tier),
      bedsTotal: Number(r.beds_total),
      bedsOccupied: Number(r.beds_occupied),
      freeBeds: Number(r.free_beds),
      oxygenBedsTotal: Number(r.oxygen_beds_total),
      oxygenBedsOccupied: Number(r.oxygen_beds_occupied),
      freeOxygenBeds: Number(r.free_oxygen_beds),
      oxygenOccupancy: r.oxygen_occupancy === null ? null : Number(r.oxygen_occupancy),
      icuBedsTotal: Number(r.icu_beds_total),
      icuBedsOccupied: Number(r.icu_beds_occupied),
      ventilatorsTotal: Number(r.ventilators_total),
      ventilatorsInUse: Number(r.ventilators_in_use),
      oxygenStockLitres: Number(r.oxygen_stock_litres),
      staffOnDuty: r.staff_on_duty === null ? null : Number(r.staff_on_duty),
      observedAt: isoFromCh(String(r.observed_at))!,
      receivedAt: isoFromCh(String(r.received_at))!,
    };
  });
}

/**
 * Capacity over time per tier, summed over facilities: each facility's last report in a
 * bucket (from the rollup no coarser than the step, re-bucketed), then summed by tier.
 */
function capacitySeriesSql(range: ResolvedRange, whereSql: string): string {
  const s = steps[range.step];
  return `SELECT toString(t) AS t, tier,
      sum(l.beds_total) AS beds_total, sum(l.beds_occupied) AS beds_occupied,
      sum(l.oxygen_beds_total) AS oxygen_beds_total, sum(l.oxygen_beds_occupied) AS oxygen_beds_occupied,
      if(sum(l.oxygen_beds_total) = 0, NULL, sum(l.oxygen_beds_occupied) / sum(l.oxygen_beds_total)) AS oxygen_occupancy,
      sum(l.icu_beds_total) AS icu_beds_total, sum(l.icu_beds_occupied) AS icu_beds_occupied,
      sum(l.ventilators_in_use) AS ventilators_in_use, sum(l.oxygen_stock_litres) AS oxygen_stock_litres,
      count() AS facilities
    FROM (
      SELECT entity, tier, toStartOfInterval(bucket, ${s.interval}, 'UTC') AS t, argMaxMerge(last) AS l
      FROM capacity_${s.rollup}
      WHERE bucket >= toStartOfInterval({from:DateTime64(3, 'UTC')}, ${s.interval}, 'UTC') AND bucket < {to:DateTime64(3, 'UTC')}${whereSql}
      GROUP BY entity, tier, t
    )
    GROUP BY t, tier ORDER BY t, tier`;
}

export async function capacitySeries(client: ClickHouseClient, places: Places, range: ResolvedRange, f: CapacityFilter) {
  const where = entityFilter(places, f);
  const rows = await selectRows<Record<string, string | number | null>>(client, capacitySeriesSql(range, where.sql), { ...where.params, from: range.from, to: range.to }, { streams: ['capacity'] });
  return rows.map((r) => ({
    t: isoFromCh(String(r.t))!,
    tier: Number(r.tier),
    bedsTotal: Number(r.beds_total),
    bedsOccupied: Number(r.beds_occupied),
    oxygenBedsTotal: Number(r.oxygen_beds_total),
    oxygenBedsOccupied: Number(r.oxygen_beds_occupied),
    oxygenOccupancy: r.oxygen_occupancy === null ? null : Number(r.oxygen_occupancy),
    icuBedsTotal: Number(r.icu_beds_total),
    icuBedsOccupied: Number(r.icu_beds_occupied),
    ventilatorsInUse: Number(r.ventilators_in_use),
    oxygenStockLitres: Number(r.oxygen_stock_litres),
    facilities: Number(r.facilities),
  }));
}
