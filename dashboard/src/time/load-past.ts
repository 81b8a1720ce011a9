import { z } from 'zod';
import { api } from '../api/client.ts';
import { agencyRow, facilityRow, pricesSeries, wardVaccination, type FacilityRow, type MapData, type PriceRow, type WardVaccination, type AgencyRow } from '../api/schemas.ts';

/**
 * The state of the city at a past instant `at`, in the same shapes as the live snapshots, so
 * the map and the panels replay without knowing they do: capacity = each facility's newest
 * report of the day before `at` among those received by then (what the wall knew); prices =
 * each market's last price in the day before, against the 7-day median before it; vaccination
 * = doses observed before `at` per ward; dossiers = the 24 h before `at` per agency. Four
 * requests a step whatever the number of facilities.
 */
export async function loadPast(at: Date, places: MapData, may: { prices: boolean; dossiers: boolean }, signal?: AbortSignal) {
  const iso = (d: Date) => d.toISOString();
  const dayBefore = new Date(at.getTime() - 86_400_000);
  // one request for the city's capacity as known then, one for its doses: not one per facility and ward
  const capacity: FacilityRow[] = (await api(`/capacity/facilities/at?at=${iso(at)}`, z.object({ facilities: z.array(facilityRow) }), { signal })).facilities;
  const vaccination: WardVaccination[] = (await api(`/vaccination/wards?to=${iso(at)}`, z.object({ wards: z.array(wardVaccination) }), { signal })).wards;

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
