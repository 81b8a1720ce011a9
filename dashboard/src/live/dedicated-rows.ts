import { z } from 'zod';
import { agencyRow, facilityRow, priceRow, wardVaccination, type AgencyRow, type FacilityRow, type PriceRow, type WardVaccination } from '../api/schemas.ts';
import { num, ratio, type DeltaItem, type Merge, type Row } from './stream-merge.ts';

/**
 * The rows of the dedicated panels (capacity, vaccination, prices, dossiers), registered by
 * panel component: the api enriches their current state (names, free beds, coverage of the
 * ward's population, deviation from a baseline), so their snapshots are checked with their
 * own schemas and their merges compute those extra fields. Any other component's stream
 * takes the generic merge (stream-merge.ts) and the generic table.
 */

/** one capacity report replaces the facility's row for its tier (the api keys series by facility/tier) */
export function mergeCapacity(rows: FacilityRow[], items: DeltaItem[]): FacilityRow[] {
  if (!items.length) return rows;
  const byKey = new Map(rows.map((r) => [`${r.facility}/${r.tier}`, r]));
  for (const d of items) {
    const facility = String(d.entity);
    const tier = num(d.tier);
    const old = byKey.get(`${facility}/${tier}`);
    if (old && d.observedAt && old.observedAt > d.observedAt) continue; // a late report does not undo a newer one
    const bedsTotal = num(d.bedsTotal), bedsOccupied = num(d.bedsOccupied), oxygenBedsTotal = num(d.oxygenBedsTotal), oxygenBedsOccupied = num(d.oxygenBedsOccupied);
    byKey.set(`${facility}/${tier}`, {
      facility, name: old?.name ?? null, ward: old?.ward ?? null, tier,
      bedsTotal, bedsOccupied, freeBeds: bedsTotal - bedsOccupied,
      oxygenBedsTotal, oxygenBedsOccupied, freeOxygenBeds: oxygenBedsTotal - oxygenBedsOccupied, oxygenOccupancy: ratio(oxygenBedsOccupied, oxygenBedsTotal),
      icuBedsTotal: num(d.icuBedsTotal), icuBedsOccupied: num(d.icuBedsOccupied), ventilatorsTotal: num(d.ventilatorsTotal), ventilatorsInUse: num(d.ventilatorsInUse),
      oxygenStockLitres: num(d.oxygenStockLitres), observedAt: String(d.observedAt ?? old?.observedAt ?? ''), receivedAt: String(d.receivedAt ?? old?.receivedAt ?? ''),
    });
  }
  return [...byKey.values()];
}

/** vaccination reports are counts: each new report adds its doses to the ward (coverage = doses / population) */
export function mergeVaccination(rows: WardVaccination[], items: DeltaItem[]): WardVaccination[] {
  if (!items.length) return rows;
  const byWard = new Map(rows.map((r) => [r.ward, { ...r }]));
  for (const d of items) {
    const ward = String(d.entity);
    const r = byWard.get(ward) ?? { ward, name: null, population: null, doses: 0, dose1: 0, dose2: 0, booster: 0, coverageDose1: null, coverageDose2: null, observedAt: '', receivedAt: '' };
    const doses = num(d.doses);
    const dose = num(d.doseNumber);
    r.doses += doses;
    if (dose === 1) r.dose1 += doses;
    else if (dose === 2) r.dose2 += doses;
    else if (dose >= 3) r.booster += doses;
    r.coverageDose1 = r.population ? r.dose1 / r.population : null;
    r.coverageDose2 = r.population ? r.dose2 / r.population : null;
    if (d.observedAt && String(d.observedAt) > r.observedAt) r.observedAt = String(d.observedAt);
    if (d.receivedAt && String(d.receivedAt) > r.receivedAt) r.receivedAt = String(d.receivedAt);
    byWard.set(ward, r);
  }
  return [...byWard.values()];
}

/** a new price replaces the market's price of that commodity; the deviation is against the baseline the snapshot gave */
export function mergePrices(rows: PriceRow[], items: DeltaItem[]): PriceRow[] {
  if (!items.length) return rows;
  const byKey = new Map(rows.map((r) => [`${r.market}/${r.commodity}`, r]));
  for (const d of items) {
    const market = String(d.entity);
    const commodity = String(d.commodity);
    const old = byKey.get(`${market}/${commodity}`);
    if (old && d.observedAt && old.observedAt > d.observedAt) continue;
    const priceVnd = num(d.priceVnd);
    const baselineVnd = old?.baselineVnd ?? null;
    byKey.set(`${market}/${commodity}`, {
      market, marketName: old?.marketName ?? null, ward: old?.ward ?? null, commodity, unit: String(d.unit ?? old?.unit ?? ''), priceVnd,
      shortage: typeof d.shortage === 'boolean' ? d.shortage : null, baselineVnd, baselineSource: old?.baselineSource ?? 'none',
      deviation: baselineVnd ? priceVnd / baselineVnd - 1 : null, observedAt: String(d.observedAt ?? ''), receivedAt: String(d.receivedAt ?? ''),
    });
  }
  return [...byKey.values()];
}

/** dossier reports are counts: added to the agency's running totals, shares recomputed */
export function mergeDossiers(rows: AgencyRow[], items: DeltaItem[]): AgencyRow[] {
  if (!items.length) return rows;
  const byAgency = new Map(rows.map((r) => [r.agency, { ...r }]));
  for (const d of items) {
    const agency = String(d.entity);
    const r = byAgency.get(agency) ?? { agency, name: null, received: 0, receivedOnline: 0, resolved: 0, resolvedOnTime: 0, resolvedLate: 0, paidOnline: 0, onlineShare: null, onTimeRate: null, lastObservedAt: '' };
    r.received += num(d.received);
    r.receivedOnline += num(d.receivedOnline);
    r.resolved += num(d.resolved);
    r.resolvedOnTime += num(d.resolvedOnTime);
    r.resolvedLate += num(d.resolvedLate);
    r.paidOnline += num(d.paidOnline);
    r.onlineShare = ratio(r.receivedOnline, r.received);
    r.onTimeRate = ratio(r.resolvedOnTime, r.resolved);
    if (d.observedAt && String(d.observedAt) > r.lastObservedAt) r.lastObservedAt = String(d.observedAt);
    byAgency.set(agency, r);
  }
  return [...byAgency.values()];
}

interface DedicatedRows {
  /** the snapshot (socket ack or the current-state route) as this component's panel reads it */
  rows: z.ZodType<Row[]>;
  merge: Merge;
}
const as = <T>(m: (rows: T[], items: DeltaItem[]) => T[]): Merge => m as unknown as Merge;
export const dedicatedRows: Readonly<Record<string, DedicatedRows>> = {
  capacity: { rows: z.array(facilityRow) as z.ZodType<Row[]>, merge: as(mergeCapacity) },
  vaccination: { rows: z.array(wardVaccination) as z.ZodType<Row[]>, merge: as(mergeVaccination) },
  prices: { rows: z.array(priceRow) as z.ZodType<Row[]>, merge: as(mergePrices) },
  dossiers: { rows: z.array(agencyRow) as z.ZodType<Row[]>, merge: as(mergeDossiers) },
};
