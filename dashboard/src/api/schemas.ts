import { z } from 'zod';

/**
 * What the dashboard reads from the api (api/src/**​/routes.ts), checked at the boundary so a
 * changed answer fails loudly in one place instead of drawing NaN on the wall. Objects are
 * not strict: the api may add fields without breaking the wall.
 */
const n = z.number();
const nn = z.number().nullable();
const iso = z.string();

export const roles = ['admin', 'operator', 'health', 'evaluator'] as const;
export type Role = (typeof roles)[number];
export const me = z.object({ username: z.string(), role: z.enum(roles), expiresAt: iso, wall: z.string().optional() });
export type Me = z.infer<typeof me>;

export const facilityRow = z.object({
  facility: z.string(), name: z.string().nullable(), ward: z.string().nullable(), tier: n,
  bedsTotal: n, bedsOccupied: n, freeBeds: n, oxygenBedsTotal: n, oxygenBedsOccupied: n, freeOxygenBeds: n, oxygenOccupancy: nn,
  icuBedsTotal: n, icuBedsOccupied: n, ventilatorsTotal: n, ventilatorsInUse: n, oxygenStockLitres: n, observedAt: iso, receivedAt: iso,
});
export type FacilityRow = z.infer<typeof facilityRow>;
export const wardVaccination = z.object({
  ward: z.string(), name: z.string().nullable(), population: nn, doses: n, dose1: n, dose2: n, booster: n, coverageDose1: nn, coverageDose2: nn, observedAt: iso, receivedAt: iso,
});
export type WardVaccination = z.infer<typeof wardVaccination>;
export const priceRow = z.object({
  market: z.string(), marketName: z.string().nullable(), ward: z.string().nullable(), commodity: z.string(), unit: z.string(), priceVnd: n,
  shortage: z.boolean().nullable(), baselineVnd: nn, baselineSource: z.string(), deviation: nn, observedAt: iso, receivedAt: iso,
});
export type PriceRow = z.infer<typeof priceRow>;
export const agencyRow = z.object({
  agency: z.string(), name: z.object({ vi: z.string(), en: z.string() }).nullable(),
  received: n, receivedOnline: n, resolved: n, resolvedOnTime: n, resolvedLate: n, paidOnline: n, onlineShare: nn, onTimeRate: nn, lastObservedAt: iso,
});
export type AgencyRow = z.infer<typeof agencyRow>;
export const alertEpisode = z.object({
  episodeId: z.string(), ruleId: z.string(), entity: z.string(), series: z.string(), state: z.enum(['firing', 'resolved']), severity: z.string(),
  value: n, threshold: n, message: z.object({ vi: z.string(), en: z.string() }), startedAt: iso, resolvedAt: iso.nullable(),
  acknowledgedBy: z.string().nullable(), acknowledgedAt: iso.nullable(), ackComment: z.string().nullable(),
});
export type AlertEpisode = z.infer<typeof alertEpisode>;

export const freshnessRow = z.object({
  stream: z.string(), lastObservedAt: iso.nullable(), lastReceivedAt: iso.nullable(), series: n, cadenceSeconds: n, ageSeconds: nn, stale: z.boolean(),
  /** the pack's reporting hours (local time, "07:00"–"19:00"); null = around the clock */
  reportingHours: z.object({ from: z.string(), to: z.string() }).nullable().optional(),
  outsideHours: z.boolean().optional(),
});
export type FreshnessRow = z.infer<typeof freshnessRow>;

const position = z.tuple([n, n]);
export const mapData = z.object({
  wards: z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), properties: z.object({ code: z.string(), name: z.string(), population: n, labelPoint: position, schematic: z.boolean() }), geometry: z.object({ type: z.string(), coordinates: z.array(z.unknown()) }) })),
  }),
  facilities: z.array(z.object({ id: z.string(), name: z.string(), tier: n, wardCode: z.string(), lat: n, lon: n })),
  markets: z.array(z.object({ id: z.string(), name: z.string(), wardCode: z.string(), lat: n, lon: n })),
  agencies: z.array(z.object({ id: z.string(), name: z.object({ vi: z.string(), en: z.string() }), wardCode: z.string() })),
  commodities: z.array(z.object({ id: z.string(), name: z.object({ vi: z.string(), en: z.string() }), unit: z.string(), baselineVnd: n })),
});
export type MapData = z.infer<typeof mapData>;
export type WardFeature = MapData['wards']['features'][number];

export const kpiList = z.object({
  kpis: z.array(z.object({ id: z.string(), name: z.object({ vi: z.string(), en: z.string() }), unit: z.string(), target: nn, direction: z.enum(['min', 'max']), period: z.string() })),
  reportPeriods: z.array(z.object({ id: z.string(), label: z.object({ vi: z.string(), en: z.string() }), from: iso, to: iso })),
});
export const kpiSeries = z.object({ kpi: z.string(), unit: z.string(), target: nn, direction: z.string(), from: iso, to: iso, step: z.string(), points: z.array(z.object({ t: iso, series: z.string(), value: nn })) });
export const kpiEvaluation = z.object({ report: z.string().nullable(), from: iso, to: iso, results: z.array(z.object({ kpi: z.string(), series: z.string(), actual: nn, target: nn, direction: z.string(), met: z.boolean().nullable(), opening: z.object({ doses: n, asOf: iso, origin: z.enum(['pack', 'upload']) }).nullable().optional() })) });

export const capacitySeries = z.object({ points: z.array(z.object({ t: iso, tier: n, bedsTotal: n, bedsOccupied: n, oxygenBedsTotal: n, oxygenBedsOccupied: n, oxygenOccupancy: nn, icuBedsTotal: n, icuBedsOccupied: n, ventilatorsInUse: n, oxygenStockLitres: n, facilities: n })) });
export const pricesSeries = z.object({ points: z.array(z.object({ t: iso, market: z.string(), commodity: z.string(), priceVnd: n })) });
export const userList = z.object({ users: z.array(z.object({ username: z.string(), role: z.enum(roles), disabled: z.boolean(), createdAt: iso, createdBy: z.string() })) });
