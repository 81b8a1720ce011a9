/**
 * Builds packs/vung-tau from the research files in shared/ (city/*.csv, geo/*). Run it again
 * when those change: `npx tsx packs/tools/build-vung-tau.ts [--shared ../shared]`.
 * The output is committed; the app never runs this. Every number it invents is marked
 * `simulated` in the output, with its basis; packs/vung-tau/README.md explains each file.
 * Never feed it GADM or anything derived from GADM (licence forbids redistribution).
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { MultiPolygon, Pair } from 'polygon-clipping';
import { loadCityPack } from '../../city/src/load.ts';
import type { Agency, Census, Commodity, Facility, KpiTarget, Market, OpeningBalance, PackManifest, WardCollection } from '../../city/src/pack-schema.ts';
import { areaKm2, bbox, contains, roundGeometry, schematicCells } from './schematic-cells.ts';
import { disbursementKpiTarget, projects, projectsSource } from './vung-tau-projects.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const argShared = process.argv.indexOf('--shared');
const shared = argShared > 0 ? path.resolve(process.argv[argShared + 1]!) : path.resolve(repo, '../shared');
const out = path.join(repo, 'packs/vung-tau');

const csv = (file: string): Array<Record<string, string>> => parse(readFileSync(path.join(shared, file)), { columns: true, skip_empty_lines: true, trim: true });
const json = (file: string): unknown => JSON.parse(readFileSync(path.join(shared, file), 'utf8'));

// ---------- wards: codes, census, points ----------
const wardRows = csv('city/wards.csv');
const gso = json('geo/vung-tau-wards.json') as { wards: Array<{ code: string; name: string; type: string }> };
for (const w of gso.wards) {
  const row = wardRows.find((r) => r.code === w.code);
  if (!row || row.name !== w.name) throw new Error(`wards.csv and vung-tau-wards.json disagree on ${w.code}`);
}
const districts = json('geo/ba-ria-vung-tau-districts.geojson') as { features: Array<{ properties: { code: string }; geometry: { coordinates: MultiPolygon } }> };
const outline = districts.features.find((f) => f.properties.code === '747')!.geometry.coordinates;
const points = new Map<string, Pair>(
  (json('city/ward-points.geojson') as { features: Array<{ properties: { code: string }; geometry: { coordinates: Pair } }> }).features.map((f) => [f.properties.code, f.geometry.coordinates]),
);

/**
 * Three wards have no sourced label point (P3, P11, Nguyễn An Ninh). Each is placed at the mean
 * of the points of wards it lies between — which wards is our reading of the city's layout
 * (P3 holds the central market by P1/P2/P4/Thắng Tam; Nguyễn An Ninh merged with P7/P8/P9 in
 * 2025; P11 lies on the road between P10 and P12, where BV Vũng Tàu's 27 đường 2/9 is).
 */
const derivedFrom: Record<string, string[]> = {
  '26512': ['26506', '26509', '26515', '26508'],
  '26526': ['26524', '26527', '26530'],
  '26539': ['26536', '26542'],
};
for (const [code, from] of Object.entries(derivedFrom)) {
  const ps = from.map((c) => points.get(c)!);
  const p: Pair = [ps.reduce((s, q) => s + q[0], 0) / ps.length, ps.reduce((s, q) => s + q[1], 0) / ps.length];
  if (!contains(outline, p)) throw new Error(`derived point for ${code} falls outside the city outline`);
  points.set(code, [Math.round(p[0] * 1e5) / 1e5, Math.round(p[1] * 1e5) / 1e5]);
}
const nameOf = (code: string): string => wardRows.find((r) => r.code === code)!.name!;

const codes = gso.wards.map((w) => w.code);
const [w, s, e, n] = bbox(outline);
const lat0 = (s + n) / 2;
const cells = schematicCells(codes.map((c) => points.get(c)!), outline);

const wards: WardCollection = {
  type: 'FeatureCollection',
  features: codes.map((code, i) => {
    const r = wardRows.find((x) => x.code === code)!;
    const derived = code in derivedFrom;
    const geometry = roundGeometry(cells[i]!);
    return {
      type: 'Feature' as const,
      properties: {
        code,
        name: r.name!,
        kind: r.type === 'Xã' ? ('commune' as const) : ('ward' as const),
        population: Number(r.pop_2019_total),
        populationYear: 2019,
        households: Number(r.households_2019),
        areaKm2: r.area_km2 ? Number(r.area_km2) : null,
        areaSource: r.area_source || 'not found',
        cellAreaKm2: Math.round(areaKm2(geometry, lat0) * 100) / 100,
        osmRelationId: r.osm_relation_id ? Number(r.osm_relation_id) : null,
        labelPoint: points.get(code)!,
        pointDerived: derived,
        pointBasis: derived
          ? `derived: mean of the label points of ${derivedFrom[code]!.map(nameOf).join(', ')} (no sourced point)`
          : `${r.coord_note}; ${r.coord_source}`,
        schematic: true,
      },
      geometry: geometry.length === 1 ? { type: 'Polygon' as const, coordinates: geometry[0]! } : { type: 'MultiPolygon' as const, coordinates: geometry },
    };
  }),
};

const wardPoint = (code: string, what: string) => {
  const [lon, lat] = points.get(code)!;
  return { lat, lon, derived: true, basis: `label point of ${nameOf(code)}${code in derivedFrom ? ' (itself derived)' : ''}, NOT the ${what}` };
};
const enName = (vi: string) => vi.replace(/^Phường (\d+)$/, 'Ward $1').replace(/^Phường (.+)$/, '$1 ward').replace(/^Xã (.+)$/, '$1 commune');

// ---------- facilities ----------
const facilitySources = {
  tiers: 'https://baobariavungtau.com.vn/xa-hoi/202111/tiep-tuc-mo-rong-co-so-dieu-tri-benh-nhan-covid-19-938949',
  bvVungTau: 'http://soyte.baria-vungtau.gov.vn/tin-tuc-su-kien/-/view_content/content/3511412/tiep-tuc-su-dung-co-so-cach-ly-ky-tuc-xa-truong-cao-dang-dau-khi',
  move: 'http://vtv.vn/xa-hoi/vung-tau-di-doi-benh-vien-le-loi-ve-tru-so-moi-20220312095015269.htm',
  plan: 'shared/seed/ke-hoach-hanh-dong-nq11-vung-tau.txt',
};
/** one 40-litre cylinder at 150 bar holds about 6,000 litres of gas */
const cylinderLitres = 6_000;
/** one litre of liquid oxygen gives about 861 litres of gas */
const loxToGas = 861;

const stations: Facility[] = codes.map((code) => {
  const pop = Number(wardRows.find((r) => r.code === code)!.pop_2019_total);
  // mild-case beds at a station / mobile station: 1 per 2,000 residents, 5 to 20
  const beds = Math.min(20, Math.max(5, Math.round(pop / 2000)));
  return {
    id: `tram-y-te-${code}`,
    name: `Trạm y tế ${nameOf(code)}`,
    kind: 'ward_health_station',
    tier: 1,
    wardCode: code,
    address: null,
    location: wardPoint(code, 'station'),
    capacity: { beds, oxygenBeds: Math.max(2, Math.round(beds * 0.3)), icuBeds: 0, ventilators: 0, oxygenStockLitres: 10 * cylinderLitres },
    simulated: true,
    simulatedFields: ['beds', 'oxygenBeds', 'icuBeds', 'ventilators', 'oxygenStockLitres'],
    basis: 'one station per ward/commune (national norm; assumed). Beds = ward population 2019 / 2,000 within 5–20; oxygen beds 30% (min 2); 10 cylinders of oxygen. All simulated.',
    sources: [facilitySources.plan],
  };
});

const hospitals: Facility[] = [
  {
    id: 'bv-vung-tau-covid',
    name: 'Bệnh viện Vũng Tàu (cơ sở mới) — khu điều trị COVID-19',
    kind: 'covid_hospital',
    tier: 2,
    wardCode: '26539',
    address: '27 đường 2/9, Phường 11, TP Vũng Tàu',
    location: wardPoint('26539', 'building (address not geocoded)'),
    capacity: { beds: 370, oxygenBeds: 300, icuBeds: 10, ventilators: 10, oxygenStockLitres: 10_000 * loxToGas },
    simulated: true,
    simulatedFields: ['beds', 'oxygenBeds', 'icuBeds', 'ventilators', 'oxygenStockLitres'],
    basis: 'COVID facility of 400 beds (SYT 15/7/2021) less the 30-bed tier-3 centre counted separately = 370 (derived). Oxygen beds ~80%, 10 ICU beds, 10 ventilators and a 10 m³ liquid-oxygen tank are assumptions.',
    sources: [facilitySources.bvVungTau, facilitySources.tiers],
  },
  {
    id: 'bv-vung-tau-hscc',
    name: 'Trung tâm hồi sức cấp cứu COVID-19 — Bệnh viện Vũng Tàu',
    kind: 'covid_icu_centre',
    tier: 3,
    wardCode: '26539',
    address: '27 đường 2/9, Phường 11, TP Vũng Tàu',
    location: wardPoint('26539', 'building (address not geocoded)'),
    capacity: { beds: 30, oxygenBeds: 30, icuBeds: 30, ventilators: 20, oxygenStockLitres: 2_000 * loxToGas },
    simulated: true,
    simulatedFields: ['oxygenBeds', 'ventilators', 'oxygenStockLitres'],
    basis: 'the province\'s only tier-3 facility on 19/11/2021, 30 beds (sourced; all counted as ICU beds). Oxygen at every bed, 20 ventilators and its oxygen allotment are assumptions.',
    sources: [facilitySources.tiers],
  },
  {
    id: 'bv-le-loi-cach-ly',
    name: 'Bệnh viện Lê Lợi (cơ sở cũ) — khu cách ly, điều trị COVID-19',
    kind: 'hospital_isolation_ward',
    tier: 2,
    wardCode: '26506',
    address: '22 Lê Lợi, Phường 1, TP Vũng Tàu',
    location: wardPoint('26506', 'building'),
    capacity: { beds: 40, oxygenBeds: 30, icuBeds: 2, ventilators: 2, oxygenStockLitres: 50 * cylinderLitres },
    simulated: true,
    simulatedFields: ['beds', 'oxygenBeds', 'icuBeds', 'ventilators', 'oxygenStockLitres'],
    basis: 'the plan requires an isolation ward at every hospital; this site ran until 19/3/2022 (then moved to the new site). Every number is an assumption.',
    sources: [facilitySources.move, facilitySources.plan],
  },
];

// ---------- commodities (baselines from shared/city/prices.csv) ----------
const prices = csv('city/prices.csv');
const price = (item: string) => {
  const r = prices.find((p) => p.item!.startsWith(item));
  if (!r) throw new Error(`no price row for ${item}`);
  return r;
};
/** mid-range, rounded to 500 VND as market boards quote */
const mid = (r: Record<string, string>) => Math.round((Number(r.vnd_min) + Number(r.vnd_max)) / 2 / 500) * 500;
const fromRow = (r: Record<string, string>, how: string) => ({ basis: `${how}: ${r.item} ${r.vnd_min}–${r.vnd_max} ${r.unit}, ${r.place}, ${r.date}`, sources: [r.source!] });

const food = ['rice', 'pork', 'chicken', 'eggs', 'fish', 'vegetables', 'cooking-oil'];
const commodities: Commodity[] = [
  { id: 'rice', name: { vi: 'Gạo tẻ thường', en: 'Rice' }, unit: 'kg', baselineVnd: mid(price('gạo dẻo thơm')), simulated: true, regulated: false, ...fromRow(price('gạo dẻo thơm'), 'derived, mid-range in the neighbouring province (no BR-VT 2022 figure)') },
  { id: 'pork', name: { vi: 'Thịt heo nạc', en: 'Lean pork' }, unit: 'kg', baselineVnd: mid(price('thịt heo nạc')), simulated: true, regulated: false, ...fromRow(price('thịt heo nạc'), 'derived, mid-range in the neighbouring province (no BR-VT 2022 figure)') },
  { id: 'chicken', name: { vi: 'Gà công nghiệp', en: 'Broiler chicken' }, unit: 'kg', baselineVnd: mid(price('gà công nghiệp')), simulated: true, regulated: false, ...fromRow(price('gà công nghiệp'), 'derived, mid-range in the neighbouring province (no BR-VT 2022 figure)') },
  { id: 'eggs', name: { vi: 'Trứng gà', en: 'Chicken eggs' }, unit: '10 quả', baselineVnd: 30_000, simulated: true, regulated: false, basis: 'assumed: no egg price in the sources searched', sources: [] },
  { id: 'fish', name: { vi: 'Cá điêu hồng', en: 'Red tilapia' }, unit: 'kg', baselineVnd: Number(price('cá điêu hồng').vnd_min), simulated: false, regulated: false, ...fromRow(price('cá điêu hồng'), 'sourced, Chợ Vũng Tàu') },
  { id: 'vegetables', name: { vi: 'Rau ăn lá', en: 'Leafy vegetables' }, unit: 'kg', baselineVnd: mid(price('rau ăn lá')), simulated: true, regulated: false, ...fromRow(price('rau ăn lá'), 'derived, mid-range at Chợ Vũng Tàu') },
  { id: 'cooking-oil', name: { vi: 'Dầu ăn', en: 'Cooking oil' }, unit: 'lít', baselineVnd: 50_000, simulated: true, regulated: false, basis: 'assumed: no cooking-oil price in the sources searched', sources: [] },
  { id: 'fuel', name: { vi: 'Xăng RON95', en: 'Petrol RON95' }, unit: 'lít', baselineVnd: Number(price('xăng RON95').vnd_min), simulated: false, regulated: true, ...fromRow(price('xăng RON95'), 'sourced national price cap (2022 peak)') },
];

// ---------- markets (shared/city/markets.csv) ----------
/** wards the sources did not give; assigned so the simulator can place the market, and flagged */
const assignedWard: Record<string, { code: string; why: string }> = {
  'cho-phuoc-thang': { code: '26542', why: 'the Phước Thắng area is Phường 11/12 (2025 Phường Phước Thắng); Phường 12 assumed' },
  'lotte-mart-vt': { code: '26527', why: 'address not found; Phường 8 assumed' },
  'coopmart-vt': { code: '26524', why: 'address not found; Phường 7 assumed' },
};
const markets: Market[] = csv('city/markets.csv').map((r) => {
  const assigned = assignedWard[r.id!];
  const wardCode = r.ward_code || assigned?.code;
  if (!wardCode) throw new Error(`market ${r.id} has no ward`);
  return {
    id: r.id!,
    name: r.name!,
    kind: r.kind!,
    wardCode,
    wardDerived: !r.ward_code,
    verified: !/UNVERIFIED/.test(r.ward_note ?? '') && r.evidence !== 'none',
    location: wardPoint(wardCode, 'market'),
    commodities: r.kind === 'seafood_market_informal' ? ['fish'] : food,
    basis: [r.ward_note, assigned?.why, `evidence: ${r.evidence}`].filter(Boolean).join('; '),
    sources: (r.sources ?? '').split(' ; ').filter(Boolean),
  };
});
markets.push({
  id: 'xang-dau-tp-vung-tau',
  name: 'Cửa hàng xăng dầu trên địa bàn thành phố (giá bán lẻ tổng hợp)',
  kind: 'fuel_retail_aggregate',
  wardCode: '26506',
  wardDerived: true,
  verified: false,
  location: wardPoint('26506', 'a station: one reporting point for all retail fuel'),
  commodities: ['fuel'],
  basis: 'a reporting point, not a place: fuel is sold at a national cap, so one city-wide series is enough; placed at Phường 1 (city hall) by choice',
  sources: [price('xăng RON95').source!],
});

// ---------- agencies ----------
const agencies: Agency[] = [
  {
    id: 'bptn-tp-vung-tau',
    name: { vi: 'Bộ phận Tiếp nhận và Trả kết quả TP Vũng Tàu', en: 'Vũng Tàu city one-stop shop' },
    serves: 'city',
    wardCode: '26506',
    location: wardPoint('26506', 'office'),
    basis: 'city People\'s Committee seat: 87–89 Lý Thường Kiệt, Phường 1; the one-stop shop is assumed to be there (UNVERIFIED)',
    sources: ['https://vi.m.wiki.x.io/wiki/V%C5%A9ng_T%C3%A0u', facilitySources.plan],
  },
  ...codes.map((code): Agency => ({
    id: `ubnd-${code}`,
    name: { vi: `UBND ${nameOf(code)}`, en: `${enName(nameOf(code))} People's Committee` },
    serves: 'ward',
    wardCode: code,
    location: wardPoint(code, 'office'),
    basis: 'every ward/commune People\'s Committee runs its own one-stop desk for ward-level procedures',
    sources: ['shared/geo/vung-tau-wards.json'],
  })),
];

// ---------- KPI targets ----------
const kpiTargets: KpiTarget[] = [
  { id: 'dossiers-online-share', name: { vi: 'Tỷ lệ hồ sơ tiếp nhận, xử lý trực tuyến', en: 'Dossiers received online' }, stream: 'dossiers', metric: 'sum(receivedOnline) / sum(received)', unit: 'ratio', direction: 'atLeast', target: 0.5, period: 'month', origin: 'plan', basis: 'action plan NQ11: 50% of dossiers received and processed online (level 3/4)', sources: [facilitySources.plan] },
  { id: 'dossiers-on-time-rate', name: { vi: 'Tỷ lệ hồ sơ giải quyết đúng hạn', en: 'Dossiers resolved on time' }, stream: 'dossiers', metric: 'sum(resolvedOnTime) / sum(resolved)', unit: 'ratio', direction: 'atLeast', target: 0.95, period: 'month', origin: 'assumed', basis: 'no number in the plan; 95% assumed until the city sets one', sources: [] },
  { id: 'vaccination-coverage-dose1', name: { vi: 'Tỷ lệ tiêm mũi 1 (từ 18 tuổi)', en: 'First-dose coverage, 18+' }, stream: 'vaccination', metric: 'cumulative doses with doseNumber = 1, age 18+ / population 18+', unit: 'ratio', direction: 'atLeast', target: 0.95, period: 'month', cohort: { doseNumber: 1, ageGroups: ['18-49', '50-64', '65+'] }, origin: 'fact', basis: 'BR-VT had ≥95% of adults with one dose on 8/11/2021: the level to keep', sources: ['https://www.vietmaz.com/2021/11/over-90mln-doses-of-covid-19-vaccines-administered-in-viet-nam-83-per-cent-of-adults-received-at-least-one-shot/'] },
  { id: 'vaccination-booster-12-17', name: { vi: 'Tỷ lệ tiêm mũi nhắc lại (12–17 tuổi)', en: 'Booster coverage, 12–17' }, stream: 'vaccination', metric: 'cumulative doses with doseNumber = 3, age 12-17 / population 12-17', unit: 'ratio', direction: 'atLeast', target: 0.5, period: 'month', cohort: { doseNumber: 3, ageGroups: ['12-17'] }, origin: 'fact', basis: 'national average 50.9% on 28/8/2022, when BR-VT was below it', sources: ['https://beta.vietnamplus.vn/dia-phuong-nao-co-ty-le-tiem-vaccine-covid-19-mui-nhac-lai-cao-nhat-post813516.vnp'] },
  { id: 'vaccination-doses', name: { vi: 'Số mũi vắc-xin đã tiêm', en: 'Vaccine doses given' }, stream: 'vaccination', metric: 'sum(doses), every dose number and age group', unit: 'doses', direction: 'atLeast', target: null, period: 'month', origin: 'plan', basis: 'the plan asks to keep vaccinating and sets no number: tracked, not judged', sources: [facilitySources.plan] },
  { id: 'capacity-oxygen-occupancy', name: { vi: 'Công suất sử dụng giường oxy', en: 'Oxygen-bed occupancy' }, stream: 'capacity', metric: 'sum(oxygenBedsOccupied) / sum(oxygenBedsTotal), per tier', unit: 'ratio', direction: 'atMost', target: 0.85, period: 'day', origin: 'assumed', basis: 'the plan asks for more oxygen beds but sets no threshold; 85% assumed as the point to open more', sources: [facilitySources.plan] },
  { id: 'prices-deviation', name: { vi: 'Độ lệch giá so với giá cơ sở', en: 'Price deviation from baseline' }, stream: 'prices', metric: 'abs(priceVnd / baselineVnd - 1), per market and commodity', unit: 'ratio', direction: 'atMost', target: 0.1, period: 'week', origin: 'assumed', basis: 'the plan asks to stabilise essential-goods prices; 10% assumed', sources: [facilitySources.plan] },
];

// ---------- census by age group and the opening balance of doses ----------
/**
 * GSO publishes the 2019 census by age for the country and the province, not per ward: the
 * city total (the wards' sum) is split with the national 2019 age structure, rounded (the
 * same shares the simulator uses); the under-fives take the remainder.
 */
const ageShares = { '5-11': 0.11, '12-17': 0.085, '18-49': 0.5, '50-64': 0.16, '65+': 0.075 } as const;
const cityTotal = wards.features.reduce((a, f) => a + f.properties.population, 0);
const aged = Object.entries(ageShares).map(([ageGroup, share]) => ({ ageGroup: ageGroup as keyof typeof ageShares, population: Math.round(cityTotal * share) }));
const census: Census = {
  year: 2019,
  groups: [{ ageGroup: '0-4', population: cityTotal - aged.reduce((a, g) => a + g.population, 0) }, ...aged],
  simulated: true,
  basis: 'city total = the 2019 census population of the 17 wards; split by the national 2019 age structure (0–4 ≈ 7%, 5–11 ≈ 11%, 12–17 ≈ 8.5%, 18–49 ≈ 50%, 50–64 ≈ 16%, 65+ ≈ 7.5%, rounded), because no age breakdown per ward or for the city was found',
  sources: ['https://portal.thongke.gov.vn/khodulieudanso2019'],
};
const popOf = (g: string) => census.groups.find((c) => c.ageGroup === g)!.population;
/** share of an age group that had a dose when the IOC went live (30/01/2022, Resolution 11/NQ-CP) */
const uptakeAtGoLive: Array<{ doseNumber: number; ageGroup: keyof typeof ageShares; share: number }> = [
  ...(['18-49', '50-64', '65+'] as const).flatMap((ageGroup) => [
    { doseNumber: 1, ageGroup, share: 0.96 },
    { doseNumber: 2, ageGroup, share: 0.93 },
    { doseNumber: 3, ageGroup, share: 0.3 },
  ]),
  { doseNumber: 1, ageGroup: '12-17', share: 0.95 },
  { doseNumber: 2, ageGroup: '12-17', share: 0.9 },
];
const openingBalance: OpeningBalance = {
  asOf: '2022-01-30T00:00:00+07:00',
  doses: uptakeAtGoLive.map((u) => ({ doseNumber: u.doseNumber, ageGroup: u.ageGroup, doses: Math.round(popOf(u.ageGroup) * u.share) })),
  simulated: true,
  basis: 'no dose counts for the city were found: adults 96% dose 1 (BR-VT was among the provinces with ≥95% of adults at one dose on 8/11/2021), 93% dose 2 and 30% dose 3 (assumed), ages 12–17 95% / 90% (assumed; boosters for 12–17 and doses for 5–11 began after go-live); the city replaces it with the registry\'s figures by upload',
  sources: ['https://www.vietmaz.com/2021/11/over-90mln-doses-of-covid-19-vaccines-administered-in-viet-nam-83-per-cent-of-adults-received-at-least-one-shot/', 'shared/city/vaccination-facts.csv'],
};

// ---------- manifest ----------
const manifest: PackManifest = {
  id: 'vung-tau',
  formatVersion: 1,
  name: { vi: 'Thành phố Vũng Tàu', en: 'Vũng Tàu city' },
  timezone: 'Asia/Ho_Chi_Minh',
  centre: { lat: Math.round(((s + n) / 2) * 1e4) / 1e4, lon: Math.round(((w + e) / 2) * 1e4) / 1e4 },
  bbox: [w, s, e, n].map((v) => Math.round(v * 1e4) / 1e4) as [number, number, number, number],
  adminCode: '747',
  // how often each stream reports, in which local hours (README: the table with the why); was only in pack.json, so a rebuild dropped it
  cadence: {
    capacity: { cadenceMinutes: 60, hours: null },
    vaccination: { cadenceMinutes: 120, hours: { from: '07:30', to: '17:00' }, weekdays: [1, 2, 3, 4, 5, 6] },
    prices: { cadenceMinutes: 480, hours: { from: '06:00', to: '16:00' } },
    dossiers: { cadenceMinutes: 120, hours: { from: '07:00', to: '17:30' }, weekdays: [1, 2, 3, 4, 5] },
  },
  sources: [
    { id: 'gso-census-2019', title: 'Tổng cục Thống kê, Tổng điều tra dân số và nhà ở 2019 (population, households per ward)', url: 'https://portal.thongke.gov.vn/khodulieudanso2019', licence: 'official statistics (facts), attribute GSO', usedFor: ['wards.geojson', 'census.json'] },
    { id: 'gso-codes', title: 'GSO administrative unit codes (data date 01/03/2025)', url: 'shared/geo/vung-tau-wards.json', licence: 'official codes (facts)', usedFor: ['wards.geojson', 'agencies.json'] },
    { id: 'city-outline', title: 'Vũng Tàu city outline, gis.chinhphu.vn via daohoangson/dvhcvn data/gis/77.json', url: 'https://github.com/daohoangson/dvhcvn', licence: 'GPL-3.0 (repository); outline from a government portal', usedFor: ['wards.geojson'] },
    { id: 'wikipedia-points', title: 'Ward label points from vi.wikipedia infoboxes', url: 'https://vi.wikipedia.org/wiki/V%C5%A9ng_T%C3%A0u', licence: 'CC BY-SA 4.0, attribute Wikipedia contributors', usedFor: ['wards.geojson', 'facilities.json', 'markets.json', 'agencies.json'] },
    { id: 'osm-relations', title: 'OpenStreetMap relation ids per ward (dvhcvn feature/osm data/osm.csv)', url: 'https://www.openstreetmap.org/relation/3607889', licence: 'ids are facts; OSM data ODbL 1.0', usedFor: ['wards.geojson'] },
    { id: 'brvt-tiers-2021', title: 'Báo Bà Rịa–Vũng Tàu 19/11/2021, three-tier COVID capacity', url: facilitySources.tiers, licence: 'news fact', usedFor: ['facilities.json'] },
    { id: 'syt-2021-07', title: 'Sở Y tế BR-VT 15/7/2021, BV Vũng Tàu 400-bed COVID facility', url: facilitySources.bvVungTau, licence: 'news fact', usedFor: ['facilities.json'] },
    { id: 'prices', title: 'Price observations (shared/city/prices.csv)', url: 'shared/city/prices.csv', licence: 'facts from the cited news and bulletins', usedFor: ['commodities.json'] },
    { id: 'markets', title: 'Markets and supermarkets (shared/city/markets.csv)', url: 'shared/city/markets.csv', licence: 'facts from the cited news', usedFor: ['markets.json'] },
    { id: 'action-plan', title: 'Kế hoạch hành động NQ11 của TP Vũng Tàu (2022–2023)', url: facilitySources.plan, licence: 'public administrative document', usedFor: ['kpi-targets.json', 'facilities.json', 'agencies.json'] },
    { id: 'vaccination-facts', title: 'COVID vaccination facts for BR-VT 2021–2022 (shared/city/vaccination-facts.csv)', url: 'shared/city/vaccination-facts.csv', licence: 'facts from the cited news', usedFor: ['kpi-targets.json', 'opening-balance.json'] },
    { ...projectsSource, usedFor: [...projectsSource.usedFor] },
  ],
};

// ---------- write ----------
/** one feature per line: readable diffs without a million-line pretty print */
const geojsonText = (fc: WardCollection) => `{"type":"FeatureCollection","features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
const pretty = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

await mkdir(out, { recursive: true });
await Promise.all([
  writeFile(path.join(out, 'pack.json'), pretty(manifest)),
  writeFile(path.join(out, 'wards.geojson'), geojsonText(wards)),
  writeFile(path.join(out, 'facilities.json'), pretty([...hospitals.filter((h) => h.tier === 3), ...hospitals.filter((h) => h.tier === 2), ...stations])),
  writeFile(path.join(out, 'markets.json'), pretty(markets)),
  writeFile(path.join(out, 'commodities.json'), pretty(commodities)),
  writeFile(path.join(out, 'agencies.json'), pretty(agencies)),
  writeFile(path.join(out, 'kpi-targets.json'), pretty([...kpiTargets, disbursementKpiTarget])),
  writeFile(path.join(out, 'projects.json'), pretty(projects)),
  writeFile(path.join(out, 'census.json'), pretty(census)),
  writeFile(path.join(out, 'opening-balance.json'), pretty(openingBalance)),
]);
// the output must pass the same validation the app runs at start
const pack = await loadCityPack(out);
const outlineArea = areaKm2(outline, lat0);
const cellsArea = pack.wards.features.reduce((a, f) => a + f.properties.cellAreaKm2, 0);
console.log(`wrote ${out}: ${pack.wards.features.length} wards (cells ${cellsArea.toFixed(1)} km² of outline ${outlineArea.toFixed(1)} km²), ${pack.facilities.length} facilities, ${pack.markets.length} markets, ${pack.commodities.length} commodities, ${pack.agencies.length} agencies, ${pack.kpiTargets.length} KPI targets`);
