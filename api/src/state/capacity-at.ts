import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '@haidang/stream';
import type { Places } from '../places.ts';
import { selectRows } from './store-query.ts';
import { isoFromCh } from './time-range.ts';

/**
 * Each facility's capacity per tier as the wall knew it at `at`: its newest report observed
 * in the day before `at` among those *received* by then (a report that arrived later, even
 * about an earlier hour, was not on the wall at the time). One query for the whole city, so a
 * replay step is one request, not one per facility.
 */
export async function capacityAt(client: ClickHouseClient, places: Places, at: Date) {
  const cols = ['beds_total', 'beds_occupied', 'oxygen_beds_total', 'oxygen_beds_occupied', 'icu_beds_total', 'icu_beds_occupied', 'ventilators_total', 'ventilators_in_use', 'oxygen_stock_litres'];
  const rows = await selectRows<Record<string, string | number>>(
    client,
    `SELECT entity, tier, ${cols.map((c) => `argMax(${c}, (observed_at, received_at)) AS c_${c}`).join(', ')},
       toString(max(observed_at)) AS c_observed_at, toString(argMax(received_at, (observed_at, received_at))) AS c_received_at
     FROM capacity_raw
     WHERE received_at <= {at:DateTime64(3, 'UTC')} AND observed_at <= {at:DateTime64(3, 'UTC')} AND observed_at > {at:DateTime64(3, 'UTC')} - INTERVAL 1 DAY
     GROUP BY entity, tier ORDER BY entity, tier`,
    { at: chTime(at) },
  );
  const byId = new Map(places.facilities.map((p) => [p.id, p]));
  return rows.map((r) => {
    // aliases differ from the columns: ClickHouse would otherwise read an alias inside another aggregate
    const n = (c: string) => Number(r[c === 'tier' ? c : `c_${c}`]);
    const p = byId.get(String(r.entity));
    return {
      facility: String(r.entity), name: p?.name ?? null, ward: p?.wardCode ?? null, tier: n('tier'),
      bedsTotal: n('beds_total'), bedsOccupied: n('beds_occupied'), freeBeds: n('beds_total') - n('beds_occupied'),
      oxygenBedsTotal: n('oxygen_beds_total'), oxygenBedsOccupied: n('oxygen_beds_occupied'), freeOxygenBeds: n('oxygen_beds_total') - n('oxygen_beds_occupied'),
      oxygenOccupancy: n('oxygen_beds_total') ? n('oxygen_beds_occupied') / n('oxygen_beds_total') : null,
      icuBedsTotal: n('icu_beds_total'), icuBedsOccupied: n('icu_beds_occupied'), ventilatorsTotal: n('ventilators_total'), ventilatorsInUse: n('ventilators_in_use'),
      oxygenStockLitres: n('oxygen_stock_litres'), observedAt: isoFromCh(String(r.c_observed_at))!, receivedAt: isoFromCh(String(r.c_received_at))!,
    };
  });
}
