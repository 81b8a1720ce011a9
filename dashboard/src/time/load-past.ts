import type { ManifestStream } from '@haidang/stream/manifest';
import { z } from 'zod';
import { api, ApiError } from '../api/client.ts';
import { pricesSeries, type MapData, type PriceRow } from '../api/schemas.ts';
import { followed, snapshotRows } from '../live/live-plan.ts';
import type { Row } from '../live/stream-merge.ts';

/** what a replay shows: rows per stream name, and the streams the api could not replay */
export interface Past {
  rows: Record<string, Row[]>;
  notReplayed: string[];
}

const iso = (d: Date) => d.toISOString();
const dayMs = 86_400_000;

/**
 * The state of the city at a past instant `at`, in the same shapes as the live snapshots, so
 * the map and the panels replay without knowing they do. Each stream is read from its
 * manifest `currentPath`: the dedicated panels with the query their route takes (capacity:
 * each facility's newest report of the day before `at` among those received by then;
 * vaccination: doses observed before `at`; dossiers: the 24 h before `at`; prices: each
 * market's last price in the day before against the 7-day median before it, from the
 * stream's series); any other stream with `?at=`, taken only when the answer says it is the
 * state at that instant (it echoes `at`): a route that ignores the query would give today's
 * state as the past, so otherwise the stream is said not to be replayed. One request a stream
 * whatever the number of entities.
 */
export async function loadPast(at: Date, places: MapData, streams: readonly ManifestStream[], signal?: AbortSignal): Promise<Past> {
  const past: Past = { rows: {}, notReplayed: [] };
  await Promise.all(
    streams.map(async (s) => {
      const read = pastReaders[s.panel.component] ?? readAt;
      try {
        const answer = await read(s, at, places, signal);
        const rows = snapshotRows(followed(s), answer);
        if (rows) past.rows[s.name] = rows;
        else past.notReplayed.push(s.name);
      } catch (e) {
        if (e instanceof ApiError && e.status < 500 && !(s.panel.component in pastReaders)) past.notReplayed.push(s.name);
        else throw e;
      }
    }),
  );
  return past;
}

type Reader = (s: ManifestStream, at: Date, places: MapData, signal?: AbortSignal) => Promise<unknown>;
const readAt: Reader = async (s, at, _places, signal) => {
  const answer = await api(`${s.currentPath}?at=${iso(at)}`, z.unknown(), { signal });
  const echoed = answer && typeof answer === 'object' && 'at' in answer ? Date.parse(String((answer as { at: unknown }).at)) : NaN;
  return echoed === at.getTime() ? answer : undefined;
};

/** the dedicated panels' past, registered by component */
const pastReaders: Readonly<Record<string, Reader>> = {
  capacity: (s, at, _p, signal) => api(`${s.currentPath}/at?at=${iso(at)}`, z.unknown(), { signal }),
  vaccination: (s, at, _p, signal) => api(`${s.currentPath}?to=${iso(at)}`, z.unknown(), { signal }),
  dossiers: (s, at, _p, signal) => api(`${s.currentPath}?from=${iso(new Date(at.getTime() - dayMs))}&to=${iso(at)}`, z.unknown(), { signal }),
  prices: (s, at, places, signal) => pricesAt(s, at, places, signal),
};

/**
 * as live: the deviation is against the median of the 7 days before each market's last price
 * (the city pack's baseline only without such history), so a replayed market shows the
 * colour it showed then
 */
async function pricesAt(s: ManifestStream, at: Date, places: MapData, signal?: AbortSignal): Promise<PriceRow[]> {
  const r = await api(`/${s.name}/series?from=${iso(new Date(at.getTime() - 8 * dayMs))}&to=${iso(at)}&step=1h`, pricesSeries, { signal });
  const byKey = new Map<string, Array<(typeof r.points)[number]>>();
  for (const p of r.points) byKey.set(`${p.market}/${p.commodity}`, [...(byKey.get(`${p.market}/${p.commodity}`) ?? []), p]);
  const commodities = new Map(places.commodities.map((c) => [c.id, c]));
  const markets = new Map(places.markets.map((m) => [m.id, m]));
  const dayBefore = at.getTime() - dayMs;
  return [...byKey.values()]
    .filter((pts) => Date.parse(pts.at(-1)!.t) >= dayBefore)
    .map((pts) => {
      const p = pts.at(-1)!;
      const c = commodities.get(p.commodity);
      const median = median7d(pts.filter((x) => Date.parse(x.t) >= Date.parse(p.t) - 7 * dayMs && Date.parse(x.t) < Date.parse(p.t)).map((x) => x.priceVnd));
      const baseline = median ?? c?.baselineVnd ?? null;
      return { market: p.market, marketName: markets.get(p.market)?.name ?? null, ward: markets.get(p.market)?.wardCode ?? null, commodity: p.commodity, unit: c?.unit ?? '', priceVnd: p.priceVnd, shortage: null, baselineVnd: baseline, baselineSource: median !== null ? 'median-7d' : 'city-pack', deviation: baseline ? p.priceVnd / baseline - 1 : null, observedAt: p.t, receivedAt: p.t };
    });
}

function median7d(v: number[]): number | null {
  if (!v.length) return null;
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
