import { z } from 'zod';
import { ageGroups, count as eventCount, dataStreams, envelopeFields, maxOxygenStockLitres, pricePayload } from '@haidang/stream';

/**
 * The city-pack format, version 1: one schema per file. A pack is data only, so every rule a
 * second city must follow lives here, and ids obey the same rules as the event envelope's
 * `entity` (they become event keys).
 */

/** The files of a pack, by role; names are fixed so a pack needs no index of its own. */
export const packFiles = {
  manifest: 'pack.json',
  wards: 'wards.geojson',
  facilities: 'facilities.json',
  markets: 'markets.json',
  commodities: 'commodities.json',
  agencies: 'agencies.json',
  kpiTargets: 'kpi-targets.json',
  census: 'census.json',
  openingBalance: 'opening-balance.json',
} as const;
/** files a pack may leave out: without a census the coverage KPIs have no denominator, without an opening balance they start at zero */
export const optionalPackFiles: ReadonlySet<PackFileRole> = new Set(['census', 'openingBalance']);
export type PackFileRole = keyof typeof packFiles;

const entityId = envelopeFields.entity;
/** a pack's capacities become event counts, so they obey the event contract's bound (UInt32) */
const count = eventCount;
const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);
const text = z.string().min(1);
const names = z.strictObject({ vi: text, en: text });
/** where a fact or an assumption came from: URLs or repository paths */
const sources = z.array(text);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const streamCadence = z.strictObject({
  cadenceMinutes: z.number().int().positive(),
  hours: z.strictObject({ from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/), to: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/) }).nullable(),
  weekdays: z.array(z.number().int().min(0).max(6)).min(1).optional(),
});

export const packManifest = z.strictObject({
  id: entityId,
  formatVersion: z.literal(1, { message: 'unsupported pack format (this build reads formatVersion 1)' }),
  name: names,
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. Asia/Ho_Chi_Minh'),
  centre: z.strictObject({ lat, lon }),
  /** [west, south, east, north] of the wards, degrees */
  bbox: z.tuple([lon, lat, lon, lat]),
  adminCode: text.optional(),
  /**
   * how often each stream reports and in which local hours (HH:MM; `to` before `from` runs
   * across midnight; no hours = around the clock), optionally only on some weekdays (0 = Sunday):
   * the api, the wall's freshness badges and source health judge silence by it. Keyed by the
   * registry's stream names; a stream the pack leaves out keeps its descriptor's cadence.
   */
  cadence: z.partialRecord(z.enum(dataStreams), streamCadence).optional(),
  sources: z.array(z.strictObject({ id: text, title: text, url: text, licence: text, usedFor: z.array(text).min(1) })).min(1),
});

/** GeoJSON order: [longitude, latitude] */
const position = z.tuple([lon, lat]);
const ring = z
  .array(position)
  .min(4, 'a linear ring needs at least 4 positions')
  .refine((r) => r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1], 'a linear ring must end where it starts');
const polygon = z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) });
const multiPolygon = z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) });

const wardProperties = z.strictObject({
  code: entityId.describe('official code, e.g. the GSO commune-level code'),
  name: text,
  kind: z.enum(['ward', 'commune']),
  population: count.min(1),
  populationYear: z.number().int().min(1900).max(2100),
  households: count.optional(),
  /** area from an official or secondary source; null where none was found */
  areaKm2: z.number().positive().nullable(),
  areaSource: text,
  /** area of the drawn cell, which is schematic unless `schematic` is false */
  cellAreaKm2: z.number().positive(),
  osmRelationId: z.number().int().positive().nullable(),
  labelPoint: position,
  /** true when no sourced label point existed and the pack's tool placed one */
  pointDerived: z.boolean(),
  pointBasis: text,
  /** true: the geometry is a drawing (e.g. Voronoi cells), not a legal boundary */
  schematic: z.boolean(),
});

const wardFeature = z.strictObject({
  type: z.literal('Feature'),
  properties: wardProperties,
  geometry: z.discriminatedUnion('type', [polygon, multiPolygon]),
});

const wardCollection = z.strictObject({
  type: z.literal('FeatureCollection'),
  features: z.array(wardFeature).min(1),
});

const location = z.strictObject({
  lat,
  lon,
  /** true when the position is not the place's own (e.g. a ward point) */
  derived: z.boolean(),
  basis: text,
});

const capacityFields = ['beds', 'oxygenBeds', 'icuBeds', 'ventilators', 'oxygenStockLitres'] as const;

const facility = z
  .strictObject({
    id: entityId,
    name: text,
    kind: text,
    /** 1 = home / commune care and mobile stations, 2 = COVID hospital with oxygen, 3 = intensive care */
    tier: z.union([z.literal(1), z.literal(2), z.literal(3)], { message: 'must be 1, 2 or 3' }),
    wardCode: entityId,
    address: text.nullable(),
    location,
    capacity: z.strictObject({
      beds: count.min(1),
      oxygenBeds: count,
      icuBeds: count,
      ventilators: count,
      /** litres of gas on site when full */
      oxygenStockLitres: z.number().nonnegative().finite().max(maxOxygenStockLitres),
    }),
    /** true when any capacity number is derived rather than sourced; `simulatedFields` says which */
    simulated: z.boolean(),
    simulatedFields: z.array(z.enum(capacityFields)),
    basis: text,
    sources,
  })
  .superRefine((f, ctx) => {
    for (const part of ['oxygenBeds', 'icuBeds'] as const) {
      if (f.capacity[part] > f.capacity.beds) ctx.addIssue({ code: 'custom', path: ['capacity', part], message: `must not exceed capacity.beds (${f.capacity[part]} > ${f.capacity.beds})` });
    }
    if (f.simulated !== f.simulatedFields.length > 0) ctx.addIssue({ code: 'custom', path: ['simulated'], message: 'must be true exactly when simulatedFields is not empty' });
  });

const market = z.strictObject({
  id: entityId,
  name: text,
  kind: text,
  wardCode: entityId,
  /** true when the sources did not give the ward and the pack's tool assigned one */
  wardDerived: z.boolean(),
  /** false when the place itself was not confirmed by a source */
  verified: z.boolean(),
  location,
  commodities: z.array(pricePayload.shape.commodity).min(1),
  basis: text,
  sources,
});

const commodity = z.strictObject({
  id: pricePayload.shape.commodity,
  name: names,
  unit: pricePayload.shape.unit,
  baselineVnd: z.number().int().positive(),
  /** true when no price for this commodity was found and the baseline is an assumption */
  simulated: z.boolean(),
  /** a state-capped price that moves only on adjustment dates (fuel in Vietnam) */
  regulated: z.boolean(),
  basis: text,
  sources,
});

const agency = z.strictObject({
  id: entityId,
  name: names,
  /** whom it serves: the whole city (one-stop shop) or one ward */
  serves: z.enum(['city', 'ward']),
  wardCode: entityId,
  location,
  basis: text,
  sources,
});

const kpiTarget = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and - only'),
  name: names,
  stream: z.enum(dataStreams),
  metric: text,
  unit: text,
  direction: z.enum(['atLeast', 'atMost']),
  /** null: tracked, not judged (no number to reach) */
  target: z.number().finite().nullable(),
  period: z.enum(['day', 'week', 'month', 'quarter', 'year']),
  /** coverage KPIs: which dose and which age groups (numerator) over the census of those groups (denominator) */
  cohort: z.strictObject({ doseNumber: z.number().int().min(1).max(10), ageGroups: z.array(z.enum(ageGroups)).min(1) }).optional(),
  /** plan = promised in the action plan; fact = a reached level used as a bar; assumed = our choice until the city sets one */
  origin: z.enum(['plan', 'fact', 'assumed']),
  basis: text,
  sources,
});

/** census age groups: the vaccination stream's groups and the under-fives, who are not vaccinated */
export const censusAgeGroups = ['0-4', ...ageGroups] as const;

/** the city's population by age group (the denominators of coverage KPIs) */
const census = z.strictObject({
  year: z.number().int().min(1900).max(2100),
  groups: z.array(z.strictObject({ ageGroup: z.enum(censusAgeGroups), population: count })).min(1),
  /** true when the split by age is derived (e.g. a national age structure applied to the city total) */
  simulated: z.boolean(),
  basis: text,
  sources,
});

/**
 * Doses given before the system went live (`asOf`), per dose and age group: cumulative KPIs
 * start from it and count stored doses from `asOf` on. An admin can replace it by upload.
 */
export const openingBalance = z.strictObject({
  asOf: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone, e.g. 2022-01-30T00:00:00+07:00' }),
  doses: z.array(z.strictObject({ doseNumber: z.number().int().min(1).max(10), ageGroup: z.enum(ageGroups), doses: count })),
  simulated: z.boolean(),
  basis: text,
  sources,
});

export const packSchemas = {
  manifest: packManifest,
  wards: wardCollection,
  facilities: z.array(facility),
  markets: z.array(market),
  commodities: z.array(commodity).min(1),
  agencies: z.array(agency),
  kpiTargets: z.array(kpiTarget),
  census,
  openingBalance,
} as const satisfies Record<PackFileRole, z.ZodType>;

export type PackManifest = z.infer<typeof packManifest>;
export type WardProperties = z.infer<typeof wardProperties>;
export type WardFeature = z.infer<typeof wardFeature>;
export type WardCollection = z.infer<typeof wardCollection>;
export type Facility = z.infer<typeof facility>;
export type Market = z.infer<typeof market>;
export type Commodity = z.infer<typeof commodity>;
export type Agency = z.infer<typeof agency>;
export type KpiTarget = z.infer<typeof kpiTarget>;
export type Census = z.infer<typeof census>;
export type OpeningBalance = z.infer<typeof openingBalance>;

/** A validated city pack: what configures the simulator, the map and the KPIs for one city. */
export interface CityPack {
  /** absolute folder it was read from */
  dir: string;
  manifest: PackManifest;
  wards: WardCollection;
  facilities: Facility[];
  markets: Market[];
  commodities: Commodity[];
  agencies: Agency[];
  kpiTargets: KpiTarget[];
  /** population by age group; absent in packs without one */
  census?: Census | undefined;
  /** doses before go-live; absent: cumulative KPIs start at zero */
  openingBalance?: OpeningBalance | undefined;
}
