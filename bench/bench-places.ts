import type { Places } from '@haidang/api';

/**
 * A synthetic city for the api benches: `facilities` facilities named like the generated
 * rows (`f-0000`…), spread over 17 wards, tiers 1/2/3 as 50/35/15 % (the same rule as the
 * generated capacity rows), so names, wards and ward filters resolve as with a real pack.
 */
export function benchPlaces(facilities: number): Places {
  const wards = Array.from({ length: 17 }, (_, i) => ({ code: `w${String(i + 1).padStart(2, '0')}`, name: `Phường ${i + 1}`, population: 20_000 + i * 1_000 }));
  return {
    wards,
    facilities: Array.from({ length: facilities }, (_, f) => ({
      id: `f-${String(f).padStart(4, '0')}`,
      name: `Cơ sở ${f}`,
      tier: f % 20 < 10 ? 1 : f % 20 < 17 ? 2 : 3,
      wardCode: wards[f % wards.length]!.code,
      lat: 10.33 + (f % 25) * 0.004,
      lon: 107.06 + Math.floor(f / 25) * 0.004,
    })),
    markets: [],
    agencies: [],
    commodities: [],
  };
}
