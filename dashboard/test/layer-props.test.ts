import { describe, expect, it } from 'vitest';
import type { MapData } from '../src/api/schemas.ts';
import { characterSetOf } from '../src/map/character-set.ts';
import { critical, noDataColour, ok, watch } from '../src/map/colour-scales.ts';
import { facilityLayerProps, labelsThatFit, wardLabels, facilityPoints, fitView, marketLabelProps, marketPoints, spreadPositions, wardDomain, wardLabelProps, wardLayerProps, wardPolygons, wardValues } from '../src/map/layer-props.ts';

const square = (x: number, y: number) => [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]];
const wards: MapData['wards']['features'] = [
  { type: 'Feature', properties: { code: 'w1', name: 'Phường Rạch Dừa', population: 100, labelPoint: [107.1, 10.4], schematic: true }, geometry: { type: 'Polygon', coordinates: square(107.1, 10.4) } },
  { type: 'Feature', properties: { code: 'w2', name: 'Xã Long Sơn', population: 100, labelPoint: [107.2, 10.5], schematic: true }, geometry: { type: 'MultiPolygon', coordinates: [square(107.2, 10.5), square(107.3, 10.5)] } },
];

describe('ward layer', () => {
  it('a MultiPolygon ward becomes one polygon per part, each with the ward code', () => {
    expect(wardPolygons(wards).map((p) => p.code)).toEqual(['w1', 'w2', 'w2']);
  });
  it('keeps a stable id and recolours only through updateTriggers', () => {
    const polygons = wardPolygons(wards);
    const a = wardLayerProps({ polygons, values: new Map([['w1', 0.5]]), metric: 'coverageDose1', version: 1, selected: null, domainMax: 1 });
    const b = wardLayerProps({ polygons, values: new Map([['w1', 0.9]]), metric: 'coverageDose1', version: 2, selected: null, domainMax: 1 });
    expect(a.id).toBe(b.id);
    expect(a.data).toBe(b.data); // same array: deck.gl does not re-tessellate polygons
    expect(a.updateTriggers.getFillColor).not.toEqual(b.updateTriggers.getFillColor);
    expect(a.getFillColor(polygons[0]!)).not.toEqual(b.getFillColor(polygons[0]!));
    expect(a.getFillColor(polygons[1]!)).toEqual(noDataColour);
  });
  it('the ramp has a fixed 0–100 % domain: a colour means the same value at any time', () => {
    expect(wardDomain).toEqual([0, 1]);
    const polygons = wardPolygons(wards);
    const low = wardLayerProps({ polygons, values: new Map([['w1', 0.02]]), metric: 'coverageDose1', version: 1, selected: null });
    const later = wardLayerProps({ polygons, values: new Map([['w1', 0.02], ['w2', 0.6]]), metric: 'coverageDose1', version: 2, selected: null });
    expect(low.getFillColor(polygons[0]!)).toEqual(later.getFillColor(polygons[0]!));
  });
  it('ward oxygen occupancy sums the ward’s facilities', () => {
    const v = wardValues('oxygenOccupancy', { vaccination: [], dossiers: [], agencies: [], capacity: [{ facility: 'f1', ward: 'w1', oxygenBedsTotal: 10, oxygenBedsOccupied: 5 }, { facility: 'f2', ward: null, oxygenBedsTotal: 10, oxygenBedsOccupied: 9 }] as never, facilities: [{ id: 'f2', name: '', tier: 1, wardCode: 'w1', lat: 0, lon: 0 }] });
    expect(v.get('w1')).toBe(0.7);
  });
  it('online share per ward sums the ward’s agencies', () => {
    const v = wardValues('onlineShare', { vaccination: [], dossiers: [{ agency: 'a1', received: 10, receivedOnline: 2 }, { agency: 'a2', received: 10, receivedOnline: 8 }], agencies: [{ id: 'a1', wardCode: 'w1', name: { vi: '', en: '' } }, { id: 'a2', wardCode: 'w1', name: { vi: '', en: '' } }] });
    expect(v.get('w1')).toBe(0.5);
  });
});

describe('labels carry every Vietnamese letter they draw', () => {
  it('the character set holds the names’ letters, NFC', () => {
    const set = characterSetOf(['Phường Rạch Dừa', 'Xã Long Sơn'.normalize('NFD')]);
    for (const ch of 'ườạừãơ') expect(set).toContain(ch);
    const props = wardLabelProps(labelsThatFit(wardLabels(wards), 20, 13), set, 'Be Vietnam Pro', 13);
    for (const l of props.data) for (const ch of l.text) expect(props.characterSet).toContain(ch);
  });
});

describe('ward labels never pile up', () => {
  const near = [
    { position: [107.08, 10.35] as [number, number], text: 'Phường Thắng Tam', priority: 17_967 },
    { position: [107.081, 10.3505] as [number, number], text: 'Phường 1', priority: 7_372 },
    { position: [107.2, 10.5] as [number, number], text: 'Xã Long Sơn', priority: 11_000 },
  ];
  it('of two overlapping names the more populous ward keeps its own; zooming in shows both', () => {
    const at12 = labelsThatFit(near, 12, 13);
    // the smaller ward's name moves to a free side of its point rather than over its neighbour's
    expect(at12.find((l) => l.text === 'Phường Thắng Tam')?.offset).toEqual([0, 21]);
    expect(at12.find((l) => l.text === 'Phường 1')?.offset).not.toEqual([0, 21]);
    const crowd = Array.from({ length: 6 }, (_, i) => ({ position: [107.08, 10.35] as [number, number], text: `Phường ${i + 1}`, priority: i }));
    expect(labelsThatFit(crowd, 12, 13)).toHaveLength(4); // below, above, right, left: the other two wait for a closer zoom
    expect(labelsThatFit(near, 17, 13)).toHaveLength(3);
  });
  it('a label moves off a symbol to a free side, or is left out', () => {
    const one = [{ position: [107.2, 10.5] as [number, number], text: 'Xã Long Sơn', priority: 1 }];
    // a symbol right below the point: the label goes above it
    const below = labelsThatFit(one, 14, 13, [{ position: [107.2, 10.4996], radius: 10 }]);
    expect(below[0]?.offset[1]).toBeLessThan(0);
    expect(labelsThatFit(one, 14, 13)[0]?.offset[1]).toBeGreaterThan(0);
  });
});

describe('symbols sharing a point are spread', () => {
  it('each of three at one coordinate gets its own place, a fixed number of pixels apart at any zoom; a lone one stays', () => {
    const items = [
      { key: 'f:a', position: [107.13972, 10.40806] as [number, number] },
      { key: 'f:b', position: [107.13972, 10.40806] as [number, number] },
      { key: 'm:c', position: [107.13972, 10.40806] as [number, number] },
      { key: 'f:d', position: [107.2, 10.5] as [number, number] },
    ];
    for (const zoom of [11, 14]) {
      const at = spreadPositions(items, zoom, 16);
      const px = (k: string) => mercator(at.get(k)!, zoom);
      const [a, b, c] = [px('f:a'), px('f:b'), px('m:c')];
      for (const [p, q] of [[a, b], [b, c], [a, c]] as const) expect(Math.hypot(p[0] - q[0], p[1] - q[1])).toBeGreaterThan(20);
      expect(at.get('f:d')).toEqual([107.2, 10.5]);
    }
  });
});
const mercator = ([lon, lat]: [number, number], zoom: number) => {
  const world = 512 * 2 ** zoom;
  return [((lon + 180) / 360) * world, ((1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2) * world] as const;
};

describe('facilities and markets', () => {
  const places: MapData['facilities'] = [{ id: 'f1', name: 'BV', tier: 3, wardCode: 'w1', lat: 10.4, lon: 107.1 }, { id: 'f2', name: 'Trạm', tier: 1, wardCode: 'w2', lat: 10.5, lon: 107.2 }];
  it('tiers sum per facility; colour follows occupancy against the 85 % alert line; size follows tier', () => {
    const rows = [
      { facility: 'f1', tier: 3, oxygenBedsTotal: 10, oxygenBedsOccupied: 9 },
      { facility: 'f1', tier: 2, oxygenBedsTotal: 10, oxygenBedsOccupied: 8 },
    ] as Parameters<typeof facilityPoints>[1];
    const points = facilityPoints(places, rows);
    expect(points[0]).toMatchObject({ occupancy: 0.85, freeOxygenBeds: 3 });
    const props = facilityLayerProps(points, 1);
    expect(props.getFillColor(points[0]!)).toEqual(critical);
    expect(props.getFillColor(points[1]!)).toEqual(noDataColour);
    expect(props.getRadius(points[0]!)).toBeGreaterThan(props.getRadius(points[1]!));
    expect(props.getPosition(points[0]!)).toEqual([107.1, 10.4]); // deck.gl wants [lon, lat]
  });
  it('a market shows its largest deviation, labelled only from ±5 %', () => {
    const m = marketPoints([{ id: 'm1', name: 'Chợ', wardCode: 'w1', lat: 10.4, lon: 107.1 }, { id: 'm2', name: 'Chợ 2', wardCode: 'w1', lat: 10.4, lon: 107.1 }], [
      { market: 'm1', commodity: 'rice', deviation: 0.02 },
      { market: 'm1', commodity: 'pork', deviation: 0.12 },
      { market: 'm2', commodity: 'rice', deviation: 0.01 },
    ] as Parameters<typeof marketPoints>[1]);
    expect(m[0]).toMatchObject({ worstDeviation: 0.12, worstCommodity: 'pork' });
    const labels = marketLabelProps(m, 1, (d) => `${Math.round(d * 100)}%`, 'x');
    expect(labels.data.map((p) => p.id)).toEqual(['m1']);
    expect(labels.getColor(m[0]!)).toEqual(critical);
    expect(labels.getColor(m[1]!)).toEqual(ok);
    void watch;
  });
  it('the view fits the wards', () => {
    const v = fitView(wards, 1000, 800);
    expect(v.longitude).toBeCloseTo(107.205, 2);
    expect(v.zoom).toBeGreaterThan(9);
    expect(v.zoom).toBeLessThan(14);
  });
});
