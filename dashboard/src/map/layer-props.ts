import type { FacilityRow, MapData, PriceRow, WardFeature } from '../api/schemas.ts';
import { critical, deviationColour, noDataColour, occupancyColour, ok, sequential, watch, type Rgba } from './colour-scales.ts';

/**
 * The map's layers as plain props (pure functions, tested without WebGL); city-map.tsx wraps
 * each in its deck.gl class. Ids never change and data arrays keep their identity between
 * frames, so a live update only recomputes the attribute named in `updateTriggers` (a
 * colour), never re-creates the layer or the map.
 */
const wardMetrics = ['oxygenOccupancy', 'coverageDose1', 'coverageDose2', 'onlineShare'] as const;
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
  domainMax?: number;
}
export function wardLayerProps(i: WardLayerInput) {
  return {
    id: 'wards',
    data: i.polygons,
    pickable: true,
    stroked: true,
    filled: true,
    getPolygon: (w: WardPolygon) => w.polygon,
    getFillColor: (w: WardPolygon): Rgba => sequential(scaled(i.values.get(w.code), i.domainMax ?? wardDomain[1]), w.code === i.selected ? 240 : 185),
    getLineColor: (w: WardPolygon): Rgba => (w.code === i.selected ? [255, 255, 255, 255] : [220, 225, 235, 170]),
    getLineWidth: (w: WardPolygon) => (w.code === i.selected ? 3 : 1),
    lineWidthUnits: 'pixels' as const,
    updateTriggers: { getFillColor: [i.metric, i.version, i.selected, i.domainMax], getLineColor: [i.selected], getLineWidth: [i.selected] },
  };
}

const scaled = (v: number | null | undefined, max: number) => (v === null || v === undefined ? null : v / max);

/**
 * The ward colour ramp's domain: every metric is a share, drawn on the fixed 0–100 % domain so
 * a colour means the same value at any time, in replay as live, and the legend never rescales.
 * (The ramp used to stretch to the largest value: 0–2 % early in a campaign, which made one
 * ward look "high" at 2 % and changed colours from one moment to the next.)
 */
export const wardDomain: readonly [number, number] = [0, 1];

export interface Label {
  position: [number, number];
  text: string;
  /** who wins when labels collide: the more populous ward keeps its name (deck.gl wants -1000…1000) */
  priority: number;
}
export function wardLabels(wards: WardFeature[]): Label[] {
  return wards.map((f) => ({ position: f.properties.labelPoint, text: f.properties.name.normalize('NFC'), priority: f.properties.population }));
}

/** a label placed: where it sits relative to its point, in pixels */
export interface PlacedLabel extends Label {
  offset: [number, number];
  anchor: 'start' | 'middle' | 'end';
}

/** Web Mercator pixels (512 px per world at zoom 0, deck.gl's tile size) */
function mercatorPx([lon, lat]: readonly [number, number], zoom: number): [number, number] {
  const world = 512 * 2 ** zoom;
  return [((lon + 180) / 360) * world, ((1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2) * world];
}

/**
 * The labels that fit at `zoom` without overlapping each other or the map's symbols
 * (`obstacles`: centre and radius in pixels, the spread facilities and markets). Each label
 * tries below its point, then above, right and left; the more populous ward is placed first;
 * a label with no free place is left out until the map is zoomed in. Boxes are estimated
 * from the label's length.
 */
export function labelsThatFit(labels: Label[], zoom: number, size: number, obstacles: Array<{ position: readonly [number, number]; radius: number }> = []): PlacedLabel[] {
  type Box = { x0: number; x1: number; y0: number; y1: number };
  const placed: Box[] = obstacles.map((o) => {
    const [x, y] = mercatorPx(o.position, zoom);
    return { x0: x - o.radius, x1: x + o.radius, y0: y - o.radius, y1: y + o.radius };
  });
  const kept: PlacedLabel[] = [];
  const gap = Math.round(size * 1.6);
  for (const l of [...labels].sort((a, b) => b.priority - a.priority)) {
    const [x, y] = mercatorPx(l.position, zoom);
    const w = l.text.length * size * 0.58 + 6;
    const h = size * 1.3;
    const tries: Array<{ offset: [number, number]; anchor: PlacedLabel['anchor']; box: Box }> = [
      { offset: [0, gap], anchor: 'middle', box: { x0: x - w / 2, x1: x + w / 2, y0: y + gap - h / 2, y1: y + gap + h / 2 } },
      { offset: [0, -gap], anchor: 'middle', box: { x0: x - w / 2, x1: x + w / 2, y0: y - gap - h / 2, y1: y - gap + h / 2 } },
      { offset: [gap, 0], anchor: 'start', box: { x0: x + gap, x1: x + gap + w, y0: y - h / 2, y1: y + h / 2 } },
      { offset: [-gap, 0], anchor: 'end', box: { x0: x - gap - w, x1: x - gap, y0: y - h / 2, y1: y + h / 2 } },
    ];
    const hit = (box: Box) => placed.some((b) => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1);
    const free = tries.find((t) => !hit(t.box));
    if (!free) continue;
    placed.push(free.box);
    kept.push({ ...l, offset: free.offset, anchor: free.anchor });
  }
  return kept;
}

/**
 * Symbols that share a point (the pack puts a ward's station, its market and sometimes two
 * hospitals at one coordinate) are spread on a small circle around it, `radiusPx` screen
 * pixels at `zoom`, so each can be seen, hovered and clicked. Lone symbols stay put.
 */
export function spreadPositions(items: Array<{ key: string; position: [number, number] }>, zoom: number, radiusPx: number): Map<string, [number, number]> {
  const groups = new Map<string, Array<{ key: string; position: [number, number] }>>();
  for (const it of items) {
    const k = `${it.position[0].toFixed(5)},${it.position[1].toFixed(5)}`;
    const g = groups.get(k) ?? [];
    g.push(it);
    groups.set(k, g);
  }
  const out = new Map<string, [number, number]>();
  const degPerPx = 360 / (512 * 2 ** zoom);
  for (const g of groups.values()) {
    if (g.length === 1) {
      out.set(g[0]!.key, g[0]!.position);
      continue;
    }
    const r = radiusPx * Math.max(1, g.length / 3);
    g.forEach((it, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / g.length;
      const [lon, lat] = it.position;
      const dLon = r * Math.cos(a) * degPerPx;
      const dLat = -r * Math.sin(a) * degPerPx * Math.cos((lat * Math.PI) / 180);
      out.set(it.key, [lon + dLon, lat + dLat]);
    });
  }
  return out;
}

export function wardLabelProps(data: PlacedLabel[], characterSet: string[], fontFamily: string, size: number) {
  return {
    id: 'ward-labels',
    data,
    getPosition: (l: PlacedLabel) => l.position,
    getText: (l: PlacedLabel) => l.text,
    getSize: size,
    getColor: [255, 255, 255, 235] as Rgba,
    outlineWidth: 3,
    outlineColor: [10, 14, 22, 255] as Rgba,
    fontSettings: { sdf: true },
    fontFamily,
    characterSet,
    getTextAnchor: (l: PlacedLabel) => l.anchor,
    getAlignmentBaseline: 'center' as const,
    getPixelOffset: (l: PlacedLabel) => l.offset,
    updateTriggers: { getTextAnchor: [data], getPixelOffset: [data] },
  };
}

/** a facility on the map: its place (spread when it shares a point) and its tiers' rows summed (one symbol per facility) */
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
export function facilityPoints(places: MapData['facilities'], rows: FacilityRow[], spread?: Map<string, [number, number]>): FacilityPoint[] {
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
      id: p.id, name: p.name, tier: p.tier, position: spread?.get(`f:${p.id}`) ?? [p.lon, p.lat],
      oxygenBedsTotal: s?.total ?? 0, oxygenBedsOccupied: s?.occupied ?? 0, freeOxygenBeds: s ? s.total - s.occupied : 0,
      occupancy: s && s.total > 0 ? s.occupied / s.total : null,
    };
  });
}

/** the keys spreadPositions is given: facilities and markets share the ward points */
export const placeKeys = (places: Pick<MapData, 'facilities' | 'markets'>) => [
  ...places.facilities.map((f) => ({ key: `f:${f.id}`, position: [f.lon, f.lat] as [number, number] })),
  ...places.markets.map((m) => ({ key: `m:${m.id}`, position: [m.lon, m.lat] as [number, number] })),
];

/** what facility and market symbols share: picked by the pointer, sized in pixels, outlined */
const pointSymbol = { pickable: true, stroked: true, filled: true, radiusUnits: 'pixels' as const, lineWidthUnits: 'pixels' as const, getLineWidth: 2 };

/** tier as symbol size (tier 3 largest): a commune station, a district hospital, the ICU centre */
export const tierRadiusPx = { 1: 7, 2: 11, 3: 14 } as Record<number, number>;

/**
 * Facilities as circles (markets are diamonds: told apart by shape, not only colour).
 * `highlight` (the placement answer's facility ids) rings the candidates in white and dims
 * the others, so the answer is on the map as in the list.
 */
export function facilityLayerProps(points: FacilityPoint[], version: number, scale = 1, highlight: ReadonlySet<string> | null = null) {
  return {
    ...pointSymbol,
    id: 'facilities',
    data: points,
    getPosition: (f: FacilityPoint) => f.position,
    getRadius: (f: FacilityPoint) => (tierRadiusPx[f.tier] ?? 7) * scale * (highlight?.has(f.id) ? 1.25 : 1),
    getFillColor: (f: FacilityPoint): Rgba => {
      const c = occupancyColour(f.occupancy);
      return highlight && !highlight.has(f.id) ? [c[0], c[1], c[2], 70] : c;
    },
    getLineColor: (f: FacilityPoint): Rgba => (highlight?.has(f.id) ? [255, 255, 255, 255] : [15, 18, 26, 255]),
    getLineWidth: (f: FacilityPoint) => (highlight?.has(f.id) ? 4 : 2),
    updateTriggers: { getFillColor: [version, highlight], getRadius: [scale, highlight], getLineColor: [highlight], getLineWidth: [highlight] },
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
export function marketPoints(places: MapData['markets'], rows: PriceRow[], spread?: Map<string, [number, number]>): MarketPoint[] {
  const worst = new Map<string, PriceRow>();
  for (const r of rows) {
    if (r.deviation === null) continue;
    const w = worst.get(r.market);
    if (!w || (w.deviation ?? -Infinity) < r.deviation) worst.set(r.market, r);
  }
  return places.map((m) => {
    const w = worst.get(m.id);
    return { id: m.id, name: m.name, position: spread?.get(`m:${m.id}`) ?? [m.lon, m.lat], worstDeviation: w?.deviation ?? null, worstCommodity: w?.commodity ?? null };
  });
}

/** the diamonds' colours: the deviation steps and no data */
const diamondColours = { ok, watch, critical, none: noDataColour } as const;
type DiamondKey = keyof typeof diamondColours;
const diamondKey = (d: number | null | undefined): DiamondKey => (d === null || d === undefined ? 'none' : d >= 0.1 ? 'critical' : d >= 0.05 ? 'watch' : 'ok');

/**
 * The market symbol: a diamond per deviation colour with a dark outline, drawn once on a
 * canvas (no image file, no network, nothing for the CSP to refuse).
 */
export function diamondAtlas(): { iconAtlas: string; iconMapping: Record<DiamondKey, { x: number; y: number; width: number; height: number; mask: false }> } | null {
  if (typeof document === 'undefined') return null;
  const keys = Object.keys(diamondColours) as DiamondKey[];
  const canvas = document.createElement('canvas');
  canvas.width = 64 * keys.length;
  canvas.height = 64;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const iconMapping = {} as Record<DiamondKey, { x: number; y: number; width: number; height: number; mask: false }>;
  keys.forEach((k, i) => {
    const [r, g, b] = diamondColours[k];
    const x = i * 64;
    ctx.beginPath();
    ctx.moveTo(x + 32, 4);
    ctx.lineTo(x + 60, 32);
    ctx.lineTo(x + 32, 60);
    ctx.lineTo(x + 4, 32);
    ctx.closePath();
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fill();
    ctx.lineWidth = 6;
    ctx.strokeStyle = 'rgb(10,14,22)';
    ctx.stroke();
    iconMapping[k] = { x, y: 0, width: 64, height: 64, mask: false };
  });
  // the canvas itself, not a data URL: the api's CSP (connect-src) would refuse the fetch of one.
  // deck.gl makes a texture of any image-like value; its prop type only names URL or Texture
  return { iconAtlas: canvas as unknown as string, iconMapping };
}

/** markets as diamonds coloured by their largest price deviation (deck.gl IconLayer props) */
export function marketLayerProps(points: MarketPoint[], version: number, scale = 1, atlas: ReturnType<typeof diamondAtlas> = null) {
  return {
    id: 'markets',
    data: points,
    pickable: true,
    sizeUnits: 'pixels' as const,
    ...(atlas ?? {}),
    getPosition: (m: MarketPoint) => m.position,
    getIcon: (m: MarketPoint) => diamondKey(m.worstDeviation),
    getColor: (m: MarketPoint) => deviationColour(m.worstDeviation),
    getSize: 22 * scale,
    updateTriggers: { getIcon: [version], getColor: [version], getSize: [scale] },
  };
}

/** "+12%" beside each market whose price moved, in the wall's locale */
export function marketLabelProps(points: MarketPoint[], version: number, format: (d: number) => string, fontFamily: string, scale = 1) {
  return {
    id: 'market-labels',
    // only the markets worth a look get a number; the others keep their green diamond
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

/** the ward's facilities' oxygen beds in use, summed over its facilities and tiers */
function wardOccupancy(rows: FacilityRow[], wardOf: Map<string, string>): Map<string, number | null> {
  const sums = new Map<string, { occupied: number; total: number }>();
  for (const r of rows) {
    const w = r.ward ?? wardOf.get(r.facility);
    if (!w) continue;
    const s = sums.get(w) ?? { occupied: 0, total: 0 };
    s.occupied += r.oxygenBedsOccupied;
    s.total += r.oxygenBedsTotal;
    sums.set(w, s);
  }
  return new Map([...sums].map(([w, s]) => [w, s.total > 0 ? s.occupied / s.total : null]));
}

/** the ward metric's value per ward code; online share sums the ward's agencies */
export function wardValues(metric: WardMetric, d: { vaccination: Array<{ ward: string; coverageDose1: number | null; coverageDose2: number | null }>; dossiers: Array<{ agency: string; received: number; receivedOnline: number }>; agencies: MapData['agencies']; capacity?: FacilityRow[]; facilities?: MapData['facilities'] }): Map<string, number | null> {
  const out = new Map<string, number | null>();
  if (metric === 'oxygenOccupancy') return wardOccupancy(d.capacity ?? [], new Map((d.facilities ?? []).map((f) => [f.id, f.wardCode])));
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
