import { describe, expect, it } from 'vitest';
import type { FacilityRow } from '../src/api/schemas.ts';
import { placements } from '../src/placement/placement.ts';

const now = Date.parse('2026-12-06T08:00:00Z');
const row = (facility: string, tier: number, free: number, o: Partial<FacilityRow> = {}): FacilityRow => ({
  facility, name: facility, ward: 'w', tier, bedsTotal: 100, bedsOccupied: 50, freeBeds: 50, oxygenBedsTotal: 50, oxygenBedsOccupied: 50 - free, freeOxygenBeds: free, oxygenOccupancy: (50 - free) / 50,
  icuBedsTotal: 10, icuBedsOccupied: 5, ventilatorsTotal: 5, ventilatorsInUse: 2, oxygenStockLitres: 1e6, observedAt: '2026-12-06T07:55:00Z', receivedAt: '2026-12-06T07:55:00Z', ...o,
});

describe('where can this oxygen patient go', () => {
  const rows = [
    row('station', 1, 3),
    row('hospital-a', 2, 5),
    row('hospital-b', 2, 20),
    row('hospital-full', 2, 0),
    row('icu', 3, 8),
    row('icu-no-vent', 3, 8, { ventilatorsInUse: 5 }),
    row('hospital-stale', 2, 40, { receivedAt: '2026-12-06T04:00:00Z' }),
  ];
  const o = { now, staleAfterMs: 2 * 3_600_000 };
  it('mask: tiers 2 and 3 with a free bed, fresh first, lower tier first, most free beds first; never a commune station', () => {
    expect(placements(rows, 'mask', o).map((p) => p.facility)).toEqual(['hospital-b', 'hospital-a', 'icu', 'icu-no-vent', 'hospital-stale']);
    expect(placements(rows, 'mask', o).at(-1)?.stale).toBe(true);
  });
  it('invasive ventilation: tier 3 with a free ICU bed and a free ventilator', () => {
    expect(placements(rows, 'invasive', o).map((p) => p.facility)).toEqual(['icu']);
  });
  it('NIV: tier 3 with a free ICU bed', () => {
    expect(placements(rows, 'niv', o).map((p) => p.facility)).toEqual(['icu', 'icu-no-vent']);
  });
});
