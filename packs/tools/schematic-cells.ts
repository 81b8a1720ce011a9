import { Delaunay } from 'd3-delaunay';
import polygonClipping, { type MultiPolygon, type Pair } from 'polygon-clipping';

/**
 * Schematic ward cells: the Voronoi cell of each label point, clipped to the official outline.
 * Not a boundary — a way to give every ward an area on the map until real polygons exist.
 * Works for any city: points and outline in, one MultiPolygon per point out.
 */

/** km per degree at the equator; longitude is scaled by cos(latitude) around the city */
const kmPerDegLat = 110.574;
const kmPerDegLonAtEquator = 111.32;

/**
 * A local equirectangular projection. Voronoi cells are equidistant sets, so they must be
 * computed where a degree of longitude and of latitude are the same length (at 10° N a degree
 * of longitude is 1.5% shorter).
 */
export function localProjection(lat0: number) {
  const kx = kmPerDegLonAtEquator * Math.cos((lat0 * Math.PI) / 180);
  return {
    toKm: ([lon, lat]: Pair): Pair => [lon * kx, lat * kmPerDegLat],
    toLonLat: ([x, y]: Pair): Pair => [x / kx, y / kmPerDegLat],
  };
}

/** planar area of a polygon set in km², holes subtracted (shoelace on projected rings) */
export function areaKm2(mp: MultiPolygon, lat0: number): number {
  const { toKm } = localProjection(lat0);
  const ringArea = (ring: Pair[]) => {
    let s = 0;
    for (let i = 0; i < ring.length - 1; i++) {
      const [x1, y1] = toKm(ring[i]!);
      const [x2, y2] = toKm(ring[i + 1]!);
      s += x1 * y2 - x2 * y1;
    }
    return Math.abs(s) / 2;
  };
  return mp.reduce((sum, poly) => sum + poly.reduce((a, ring, i) => a + (i === 0 ? ringArea(ring) : -ringArea(ring)), 0), 0);
}

/** even-odd ray casting over every ring, so holes count as outside */
export function contains(mp: MultiPolygon, [x, y]: Pair): boolean {
  let inside = false;
  for (const poly of mp)
    for (const ring of poly)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
  return inside;
}

export function bbox(mp: MultiPolygon): [number, number, number, number] {
  const all = mp.flat(2);
  return [Math.min(...all.map((p) => p[0])), Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1]))];
}

/** Voronoi cells of `points` (lon/lat) clipped to `outline`; throws if a point gets no area. */
export function schematicCells(points: Pair[], outline: MultiPolygon): MultiPolygon[] {
  const [w, s, e, n] = bbox(outline);
  const lat0 = (s + n) / 2;
  const proj = localProjection(lat0);
  const [x0, y0] = proj.toKm([w, s]);
  const [x1, y1] = proj.toKm([e, n]);
  const pad = 5; // km: the bounding box only has to contain the outline
  const voronoi = Delaunay.from(points.map(proj.toKm)).voronoi([x0 - pad, y0 - pad, x1 + pad, y1 + pad]);
  return points.map((p, i) => {
    const cell = voronoi.cellPolygon(i).map((q) => proj.toLonLat([q[0]!, q[1]!]));
    const clipped = polygonClipping.intersection([cell], outline);
    if (!clipped.length) throw new Error(`point ${i} (${p.join(', ')}) has no area inside the outline`);
    return clipped;
  });
}

/** rounds to ~0.1 m and drops consecutive duplicates that rounding creates */
export function roundGeometry(mp: MultiPolygon, digits = 6): MultiPolygon {
  const f = 10 ** digits;
  const r = (v: number) => Math.round(v * f) / f;
  return mp.map((poly) =>
    poly.map((ring) =>
      ring.map(([x, y]): Pair => [r(x), r(y)]).filter((p, i, a) => i === 0 || p[0] !== a[i - 1]![0] || p[1] !== a[i - 1]![1]),
    ),
  );
}
