import type { FacilityRow, MapData, PriceRow, WardFeature } from '../api/schemas.ts';
import { deviationColour, occupancyColour, sequential, type Rgba } from './colour-scales.ts';

/**
 * The map's layers as plain props (pure functions, tested without WebGL); city-map.tsx wraps
 * each in its deck.gl class. Ids never change and data arrays keep their identity between
 * frames, so a live update only recomputes the attribute named in `updateTriggers` (a
 * colour), never re-creates the layer or the map.
 */
export const wardMetrics = ['coverageDose1', 'coverageDose2', 'onlineShare'] as const;
export type WardMetric = (typeof wardMetrics)[number];

/** one polygon per drawable part (a MultiPolygon ward becomes several, sharing its code) */
export interface WardPolygon {
  code: string;
  name: string;
  polygon: number[][][];
}
export function wardPolygons(wards: WardFeature[]): WardPolygon[] {
  return wards.flatMap((f) => {
    const c = f.geometry.coordinates as unknown;
    const parts = f.geometry.type === 'MultiPolygon' ? (c as number[][][][]) : [c as number[][][]];
    return parts.map((polygon) => ({ code: f.properties.code, name: f.properties.name, polygon }));
  });
}

export interface WardLayerInput {
  polygons: WardPolygon[];
  /** metric value per ward code, in [0, 1] */
  values: Map<string, number | null>;
  metric: WardMetric;
  /** changes whenever values change: deck.gl recomputes colours only then */
  version: number;
  selected: string | null;
  /** the top of the colour ramp (see rampMax) */
  domainMax: number;
}
export function wardLayerProps(i: WardLayerInput) {
  return {
    id: 'wards',
    data: i.polygons,
    pickable: true,
    stroked: true,
    filled: true,
    getPolygon: (w: WardPolygon) => w.polygon,
    getFillColor: (w: WardPolygon): Rgba => sequential(scaled(i.values.get(w.code), i.domainMax), w.code === i.selected ? 240 : 185),
    getLineColor: (w: WardPolygon): Rgba => (w.code === i.selected ? [255, 255, 255, 255] : [220, 225, 235, 170]),
    getLineWidth: (w: WardPolygon) => (w.code === i.selected ? 3 : 1),
    lineWidthUnits: 'pixels' as const,
    updateTriggers: { getFillColor: [i.metric, i.version, i.selected, i.domainMax], getLineColor: [i.selected], getLineWidth: [i.selected] },
  };
}

const scaled = (v: number | null | undefined, max: number) => (v === null || v === undefined ? null : v / max);

/**
 * The top of the ward colour ramp: the largest value rounded up to 1, 2 or 5 × 10^k, at most
 * 100 %. Early in a campaign coverage is a few percent; on a fixed 0–100 % ramp every ward
 * would be the same colour. The legend prints the range, so the stretch is never hidden.
 */
export function rampMax(values: Iterable<number | null>): number {
  let max = 0;
  for (const v of values) if (v !== null && Number.isFinite(v) && v > max) max = v;
  if (max <= 0) return 1;
  if (max >= 0.5) return 1;
  const k = 10 ** Math.floor(Math.log10(max));
  const m = max / k;
  return Math.min(1, (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * k);
}

export interface Label {
  position: [number, number];
  text: string;
  /** who wins when labels collide: the more populous ward keeps its name (deck.gl wants -1000…1000) */
  priority: number;
}
export function wardLabels(wards: WardFeature[]): Label[] {
  return wards.map((f) => ({ position: f.properties.labelPoint, text: f.properties.name.normalize('NFC'), priority: f.properties.population }));
}

/**
 * The labels that fit at `zoom` without overlapping: in the dense south of the peninsula the
 * names would pile up unreadably, so the more populous ward keeps its name and the other is
 * left out until the map is zoomed in. Boxes are estimated in Web Mercator pixels (512 px per
 * world at zoom 0) from the label's length; greedy by priority.
 */
export function labelsThatFit(labels: Label[], zoom: number, size: number): Label[] {
  const world = 512 * 2 ** zoom;
  const px = ([lon, lat]: [number, number]) => [((lon + 180) / 360) * world, ((1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2) * world] as const;
  const placed: Array<{ x0: number; x1: number; y0: number; y1: number }> = [];
  const kept: Label[] = [];
  for (const l of [...labels].sort((a, b) => b.priority - a.priority)) {
    const [x, y] = px(l.position);
    const w = l.text.length * size * 0.58 + 6;
    const box = { x0: x - w / 2, x1: x + w / 2, y0: y + size * 0.9 - 2, y1: y + size * 2.1 + 2 };
    if (placed.some((b) => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1)) continue;
    placed.push(box);
    kept.push(l);
  }
  return kept;
}

export function wardLabelProps(data: Label[], characterSet: string[], fontFamily: string, size: number) {
  return {
    id: 'ward-labels',
    data,
    getPosition: (l: Label) => l.position,
    getText: (l: Label) => l.text,
    getSize: size,
    getColor: [255, 255, 255, 235] as Rgba,
    outlineWidth: 3,
    outlineColor: [10, 14, 22, 255] as Rgba,
    fontSettings: { sdf: true },
    fontFamily,
    characterSet,
    getTextAnchor: 'middle' as const,
    getAlignmentBaseline: 'top' as const,
    // below the ward's point, where its facility symbol sits
    getPixelOffset: [0, Math.round(size * 0.9)] as [number, number],
  };
}

/** a facility on the map: its place and its tiers' rows summed (one symbol per facility) */
export interface FacilityPoint {
  id: string;
  name: string;
  tier: number;
  position: [number, number];
  oxygenBedsTotal: number;
  oxygenBedsOccupied: number;
  freeOxygenBeds: number;
  occupancy: number | null;
}
export function facilityPoints(places: MapData['facilities'], rows: FacilityRow[]): FacilityPoint[] {
  const sums = new Map<string, { total: number; occupied: number }>();
  for (const r of rows) {
    const s = sums.get(r.facility) ?? { total: 0, occupied: 0 };
    s.total += r.oxygenBedsTotal;
    s.occupied += r.oxygenBedsOccupied;
    sums.set(r.facility, s);
  }
  return places.map((p) => {
    const s = sums.get(p.id);
    return {
      id: p.id, name: p.name, tier: p.tier, position: [p.lon, p.lat],
      oxygenBedsTotal: s?.total ?? 0, oxygenBedsOccupied: s?.occupied ?? 0, freeOxygenBeds: s ? s.total - s.occupied : 0,
      occupancy: s && s.total > 0 ? s.occupied / s.total : null,
    };
  });
}

/** what facility and market symbols share: picked by the pointer, sized in pixels, outlined */
const pointSymbol = { pickable: true, stroked: true, filled: true, radiusUnits: 'pixels' as const, lineWidthUnits: 'pixels' as const, getLineWidth: 2 };

/** tier as symbol size (tier 3 largest): a commune station, a district hospital, the ICU centre */
export const tierRadiusPx = { 1: 7, 2: 12, 3: 17 } as Record<number, number>;

export function facilityLayerProps(points: FacilityPoint[], version: number, scale = 1) {
  return {
    ...pointSymbol,
    id: 'facilities',
    data: points,
    getPosition: (f: FacilityPoint) => f.position,
    getRadius: (f: FacilityPoint) => (tierRadiusPx[f.tier] ?? 7) * scale,
    getFillColor: (f: FacilityPoint) => occupancyColour(f.occupancy),
    getLineColor: [15, 18, 26, 255] as Rgba,
    updateTriggers: { getFillColor: [version], getRadius: [scale] },
  };
}

export function facilityTierLabelProps(points: FacilityPoint[], fontFamily: string, scale = 1) {
  return {
    id: 'facility-tiers',
    data: points.filter((p) => p.tier >= 2),
    getPosition: (f: FacilityPoint) => f.position,
    getText: (f: FacilityPoint) => String(f.tier),
    getSize: 12 * scale,
    getColor: [10, 14, 22, 255] as Rgba,
    fontFamily,
    fontWeight: 700,
    characterSet: '0123456789'.split(''),
    getTextAnchor: 'middle' as const,
    getAlignmentBaseline: 'center' as const,
  };
}

/** a market: the largest deviation over its commodities (the one worth looking at) */
export interface MarketPoint {
  id: string;
  name: string;
  position: [number, number];
  worstDeviation: number | null;
  worstCommodity: string | null;
}
export function marketPoints(places: MapData['markets'], rows: PriceRow[]): MarketPoint[] {
  const worst = new Map<string, PriceRow>();
  for (const r of rows) {
    if (r.deviation === null) continue;
    const w = worst.get(r.market);
    if (!w || (w.deviation ?? -Infinity) < r.deviation) worst.set(r.market, r);
  }
  return places.map((m) => {
    const w = worst.get(m.id);
    return { id: m.id, name: m.name, position: [m.lon, m.lat], worstDeviation: w?.deviation ?? null, worstCommodity: w?.commodity ?? null };
  });
}

export function marketLayerProps(points: MarketPoint[], version: number, scale = 1) {
  return {
    ...pointSymbol,
    // a ring: the pack puts markets and commune stations at the same (derived) ward point, so
    // a market is drawn around whatever sits there instead of hiding under it
    filled: false,
    getLineWidth: 3,
    id: 'markets',
    data: points,
    getPosition: (m: MarketPoint) => m.position,
    getRadius: 11 * scale,
    getLineColor: (m: MarketPoint) => deviationColour(m.worstDeviation),
    updateTriggers: { getLineColor: [version], getRadius: [scale] },
  };
}

/** "+12%" beside each market whose price moved, in the wall's locale */
export function marketLabelProps(points: MarketPoint[], version: number, format: (d: number) => string, fontFamily: string, scale = 1) {
  return {
    id: 'market-labels',
    // only the markets worth a look get a number; the others keep their green dot
    data: points.filter((p) => p.worstDeviation !== null && Math.abs(p.worstDeviation) >= 0.05),
    getPosition: (m: MarketPoint) => m.position,
    getText: (m: MarketPoint) => format(m.worstDeviation ?? 0),
    getSize: 13 * scale,
    getColor: (m: MarketPoint) => deviationColour(m.worstDeviation),
    outlineWidth: 3,
    outlineColor: [10, 14, 22, 255] as Rgba,
    fontSettings: { sdf: true },
    fontFamily,
    characterSet: '0123456789+-−%.,  '.split(''),
    getPixelOffset: [14 * scale, 0] as [number, number],
    getTextAnchor: 'start' as const,
    getAlignmentBaseline: 'center' as const,
    updateTriggers: { getText: [version], getColor: [version] },
  };
}

/** the ward metric's value per ward code; online share sums the ward's agencies */
export function wardValues(metric: WardMetric, d: { vaccination: Array<{ ward: string; coverageDose1: number | null; coverageDose2: number | null }>; dossiers: Array<{ agency: string; received: number; receivedOnline: number }>; agencies: MapData['agencies'] }): Map<string, number | null> {
  const out = new Map<string, number | null>();
  if (metric === 'onlineShare') {
    const wardOf = new Map(d.agencies.map((a) => [a.id, a.wardCode]));
    const sums = new Map<string, { online: number; all: number }>();
    for (const r of d.dossiers) {
      const w = wardOf.get(r.agency);
      if (!w) continue;
      const s = sums.get(w) ?? { online: 0, all: 0 };
      s.online += r.receivedOnline;
      s.all += r.received;
      sums.set(w, s);
    }
    for (const [w, s] of sums) out.set(w, s.all > 0 ? s.online / s.all : null);
  } else for (const r of d.vaccination) out.set(r.ward, r[metric]);
  return out;
}

/** the view that fits the city's wards: centre and a zoom for the given canvas size */
export function fitView(wards: WardFeature[], width: number, height: number): { longitude: number; latitude: number; zoom: number } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      minX = Math.min(minX, c[0] as number); maxX = Math.max(maxX, c[0] as number);
      minY = Math.min(minY, c[1] as number); maxY = Math.max(maxY, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of wards) visit(f.geometry.coordinates);
  if (!Number.isFinite(minX)) return { longitude: 107.1, latitude: 10.37, zoom: 11 };
  // Web Mercator: 512 px per world at zoom 0 (deck.gl's tile size); pad 8 %
  const lonSpan = Math.max(1e-6, maxX - minX) * 1.08;
  const latRad = (l: number) => Math.log(Math.tan(Math.PI / 4 + (l * Math.PI) / 360));
  const ySpan = Math.max(1e-9, latRad(maxY) - latRad(minY)) * 1.08;
  const zx = Math.log2((width * 360) / (512 * lonSpan));
  const zy = Math.log2((height * 2 * Math.PI) / (512 * ySpan));
  return { longitude: (minX + maxX) / 2, latitude: (minY + maxY) / 2, zoom: Math.min(zx, zy) };
}
