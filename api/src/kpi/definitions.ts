import { allDescriptors, kpiRange, type DataStreamName } from '@haidang/stream';

/**
 * How each KPI is computed, as data, from its stream's descriptor (`kpis`, stream/src/streams/<name>/descriptor.ts):
 * one SELECT over the store returning `t` (bucket start),
 * `series` ('' for a single series) and `value`. What each KPI is called, its target, its
 * direction, period and cohort are the city pack's (`kpi-targets.json`), joined by id in
 * `city-kpis.ts`: the targets exist once.
 *
 * Placeholders the engine fills with fixed text, never with request input:
 *  - `{{bucket(col)}}`: the start of `col`'s bucket in the city's time zone (`{tz:String}`): for
 *    a series the step's interval (a day is a local day, a month a local month, a week starts on
 *    local Monday), for an evaluation the start of the period (the whole period is one bucket);
 *  - `{{last(stream: col, …)}}`: a subquery of a gauge stream's last report per entity,
 *    dimensions and bucket (`entity`, the dims, `b`, then the named columns). A series of an
 *    hour or coarser over whole hours merges the hourly last reports of the KPI columns
 *    (`<stream>_kpi_1h`, migration 0006, ordered by time: 30 days are 30 × 24 rows a facility);
 *    anything else reads the raw reports with only the named columns (`kpiSource` in
 *    engine.ts decides; the 1 h and 1 d rollups hold whole-row states, 3× slower to merge, and
 *    the 1 d one buckets UTC days, which a local day straddles).
 * Query parameters: `{from:DateTime64(3, 'UTC')}`, `{to:DateTime64(3, 'UTC')}`, `{tz:String}`,
 * and for coverage KPIs `{dose:UInt8}`, `{ages:Array(String)}` (the pack's cohort),
 * `{population:Float64}` (the census of those ages), `{opening:Float64}` (doses of that cohort
 * before go-live) and `{since:DateTime64(3, 'UTC')}` (go-live: stored doses count from it).
 */
export interface KpiComputation {
  stream: DataStreamName;
  unit: 'ratio' | 'doses';
  /** true: the value at a time counts everything before it (opening balance included) */
  cumulative: boolean;
  description: string;
  sql: string;
}

/** a KPI as the city defines it (pack) with how it is computed (here) */
export interface KpiDefinition extends KpiComputation {
  id: string;
  name: { vi: string; en: string };
  /** null: tracked, not judged */
  target: number | null;
  /** 'max' = the value must stay at or below the target (a ceiling); 'min' = reach at least the target (a floor) */
  direction: 'min' | 'max';
  /** the period the city reports it by */
  period: 'day' | 'week' | 'month' | 'quarter' | 'year';
  /** where the target comes from: the action plan, a reached level, or our assumption */
  origin: 'plan' | 'fact' | 'assumed';
  basis: string;
  sources: string[];
  /** coverage KPIs: which dose, which age groups */
  cohort?: { doseNumber: number; ageGroups: string[] } | undefined;
}

/** the series' time range on `col`, as query parameters (the engine's subqueries use it too) */
export const range = kpiRange;

/** every KPI of every stream, by id, from the stream descriptors (`kpis`) */
export const kpiComputations: Readonly<Record<string, KpiComputation>> = Object.fromEntries(
  allDescriptors.flatMap((d) => d.kpis.map((k) => [k.id, { stream: d.name as DataStreamName, unit: k.unit, cumulative: k.cumulative, description: k.description, sql: k.sql }] as const)),
);
