import { z } from 'zod';
import { api } from '../api/client.ts';
import { agencyRow, capacitySeries, pricesSeries, vaccinationSeries, type FacilityRow, type MapData, type PriceRow, type WardVaccination, type AgencyRow } from '../api/schemas.ts';

/**
 * The state of the city at a past instant `at`, rebuilt from the series routes in the same
 * shapes as the live snapshots, so the map and the panels replay without knowing they do:
 * capacity = each facility's last report in the hour before `at`; prices = each market's
 * last price in the day before; vaccination = doses up to `at` per ward; dossiers = the 24 h
 * before `at` per agency.
 */
export async function loadPast(at: Date, places: MapData, may: { prices: boolean; dossiers: boolean }, signal?: AbortSignal) {
  const iso = (d: Date) => d.toISOString();
  const hourBefore = new Date(at.getTime() - 3_600_000);
  const dayBefore = new Date(at.getTime() - 86_400_000);
  const capacity: FacilityRow[] = (
    await Promise.all(
      places.facilities.map(async (f) => {
        const r = await api(`/capacity/series?facility=${encodeURIComponent(f.id)}&from=${iso(hourBefore)}&to=${iso(at)}&step=5m`, capacitySeries, { signal });
        const byTier = new Map<number, (typeof r.points)[number]>();
        for (const p of r.points) byTier.set(p.tier, p); // points are in time order: the last wins
        return [...byTier.values()].map((p) => ({
          facility: f.id, name: f.name, ward: f.wardCode, tier: p.tier, bedsTotal: p.bedsTotal, bedsOccupied: p.bedsOccupied, freeBeds: p.bedsTotal - p.bedsOccupied,
          oxygenBedsTotal: p.oxygenBedsTotal, oxygenBedsOccupied: p.oxygenBedsOccupied, freeOxygenBeds: p.oxygenBedsTotal - p.oxygenBedsOccupied, oxygenOccupancy: p.oxygenOccupancy,
          icuBedsTotal: p.icuBedsTotal, icuBedsOccupied: p.icuBedsOccupied, ventilatorsTotal: 0, ventilatorsInUse: p.ventilatorsInUse, oxygenStockLitres: p.oxygenStockLitres, observedAt: p.t, receivedAt: p.t,
        }));
      }),
    )
  ).flat();

  const vaccination: WardVaccination[] = await Promise.all(
    places.wards.features.map(async (w) => {
      const r = await api(`/vaccination/series?ward=${w.properties.code}&from=2021-01-01T00:00:00Z&to=${iso(at)}&step=1M`, vaccinationSeries, { signal });
      const sum = (f: (d: number) => boolean) => r.points.filter((p) => f(p.doseNumber)).reduce((a, p) => a + p.doses, 0);
      const dose1 = sum((d) => d === 1), dose2 = sum((d) => d === 2), booster = sum((d) => d >= 3);
      const pop = w.properties.population;
      return { ward: w.properties.code, name: w.properties.name, population: pop, doses: dose1 + dose2 + booster, dose1, dose2, booster, coverageDose1: pop ? dose1 / pop : null, coverageDose2: pop ? dose2 / pop : null, observedAt: iso(at), receivedAt: iso(at) };
    }),
  );

  let prices: PriceRow[] = [];
  if (may.prices) {
    // as live: the deviation is against the median of the 7 days before each market's last
    // price (the city pack's baseline only without such history), so a replayed market shows
    // the colour it showed then
    const r = await api(`/prices/series?from=${iso(new Date(at.getTime() - 8 * 86_400_000))}&to=${iso(at)}&step=1h`, pricesSeries, { signal });
    const byKey = new Map<string, Array<(typeof r.points)[number]>>();
    for (const p of r.points) byKey.set(`${p.market}/${p.commodity}`, [...(byKey.get(`${p.market}/${p.commodity}`) ?? []), p]);
    const commodities = new Map(places.commodities.map((c) => [c.id, c]));
    const markets = new Map(places.markets.map((m) => [m.id, m]));
    prices = [...byKey.values()]
      .filter((pts) => Date.parse(pts.at(-1)!.t) >= dayBefore.getTime())
      .map((pts) => {
        const p = pts.at(-1)!;
        const c = commodities.get(p.commodity);
        const median = median7d(pts.filter((x) => Date.parse(x.t) >= Date.parse(p.t) - 7 * 86_400_000 && Date.parse(x.t) < Date.parse(p.t)).map((x) => x.priceVnd));
        const baseline = median ?? c?.baselineVnd ?? null;
        return { market: p.market, marketName: markets.get(p.market)?.name ?? null, ward: markets.get(p.market)?.wardCode ?? null, commodity: p.commodity, unit: c?.unit ?? '', priceVnd: p.priceVnd, shortage: null, baselineVnd: baseline, baselineSource: median !== null ? 'median-7d' : 'city-pack', deviation: baseline ? p.priceVnd / baseline - 1 : null, observedAt: p.t, receivedAt: p.t };
      });
  }

  let dossiers: AgencyRow[] = [];
  if (may.dossiers) dossiers = (await api(`/dossiers/agencies?from=${iso(dayBefore)}&to=${iso(at)}`, z.object({ agencies: z.array(agencyRow) }), { signal })).agencies;

  return { capacity, vaccination, prices, dossiers };
}

function median7d(v: number[]): number | null {
  if (!v.length) return null;
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
