import type { FacilityRow } from '../api/schemas.ts';

/**
 * "Where can this oxygen patient go?" The support levels are the capacity contract's
 * `patientsBySupport` keys (stream/src/contracts/capacity.ts). Which tier treats which
 * support follows the 3-tier COVID model of the contract: tier 2 (COVID hospitals with
 * oxygen) takes mask/cannula and high-flow patients, tier 3 (intensive care) every level;
 * ventilation needs a free ICU bed, invasive ventilation also a free ventilator. Tier 1
 * (commune stations) keeps mild patients at home and is never the answer.
 */
export const supportLevels = ['mask', 'hfnc', 'niv', 'invasive', 'ecmo'] as const;
export type SupportLevel = (typeof supportLevels)[number];

export const tiersFor: Record<SupportLevel, readonly number[]> = {
  mask: [2, 3],
  hfnc: [2, 3],
  niv: [3],
  invasive: [3],
  ecmo: [3],
};
const needsIcu = (s: SupportLevel) => s === 'niv' || s === 'invasive' || s === 'ecmo';
const needsVentilator = (s: SupportLevel) => s === 'invasive' || s === 'ecmo';

export interface Placement {
  facility: string;
  tier: number;
  freeOxygenBeds: number;
  freeIcuBeds: number;
  freeVentilators: number;
  oxygenStockLitres: number;
  receivedAt: string;
  /** true when the facility's last report is older than the stream's stale limit */
  stale: boolean;
}

/**
 * The facilities that can take a patient needing `support` now, best first: a fresh report
 * before a stale one (a bed counted hours ago may be gone), then the lowest suitable tier (keep
 * intensive care for who needs it), then the most free oxygen beds.
 */
export function placements(rows: FacilityRow[], support: SupportLevel, o: { now: number; staleAfterMs: number }): Placement[] {
  const tiers = tiersFor[support];
  return rows
    .filter((r) => tiers.includes(r.tier) && r.freeOxygenBeds > 0)
    .map((r) => ({
      facility: r.facility,
      tier: r.tier,
      freeOxygenBeds: r.freeOxygenBeds,
      freeIcuBeds: Math.max(0, r.icuBedsTotal - r.icuBedsOccupied),
      freeVentilators: Math.max(0, r.ventilatorsTotal - r.ventilatorsInUse),
      oxygenStockLitres: r.oxygenStockLitres,
      receivedAt: r.receivedAt,
      stale: !r.receivedAt || o.now - Date.parse(r.receivedAt) > o.staleAfterMs,
    }))
    .filter((p) => (!needsIcu(support) || p.freeIcuBeds > 0) && (!needsVentilator(support) || p.freeVentilators > 0))
    .sort((a, b) => Number(a.stale) - Number(b.stale) || a.tier - b.tier || b.freeOxygenBeds - a.freeOxygenBeds || a.facility.localeCompare(b.facility));
}
