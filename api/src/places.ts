import type { CityEvaluation } from './kpi/city-kpis.ts';
import type { StreamCadences } from './state/freshness.ts';

/**
 * What the api needs to know about the city's places, from the city pack: names, which ward
 * a facility / market / agency is in, ward populations (coverage) and commodity baselines.
 * The api takes it as data (bin/ loads the pack), so it depends on stream only.
 */
export interface Places {
  wards: Array<{ code: string; name: string; population: number }>;
  facilities: Array<{ id: string; name: string; tier: number; wardCode: string; lat: number; lon: number }>;
  markets: Array<{ id: string; name: string; wardCode: string; lat: number; lon: number }>;
  agencies: Array<{ id: string; name: { vi: string; en: string }; wardCode: string }>;
  commodities: Array<{ id: string; name: { vi: string; en: string }; unit: string; baselineVnd: number }>;
  /** the city's zone, KPI targets, census by age and opening balance (the pack's); absent: the default pack's */
  city?: CityEvaluation;
  /** the pack's reporting cadence and hours per stream (defaults when absent) and its time zone */
  cadence?: StreamCadences | undefined;
  timezone?: string | undefined;
}

export const noPlaces: Places = { wards: [], facilities: [], markets: [], agencies: [], commodities: [] };

/** ids of the places of `kind` inside `ward` (for ward filters on streams keyed by facility, market or agency) */
export function idsInWard(places: Places, kind: 'facilities' | 'markets' | 'agencies', ward: string): string[] {
  return places[kind].filter((p) => p.wardCode === ward).map((p) => p.id);
}
