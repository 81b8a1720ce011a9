import type { DataStreamName } from '@haidang/stream';

/**
 * How each KPI is computed, as data: one SELECT over the store returning `t` (bucket start),
 * `series` ('' for a single series) and `value`. What each KPI is called, its target, its
 * direction, period and cohort are the city pack's (`kpi-targets.json`), joined by id in
 * `city-kpis.ts`: the targets exist once.
 *
 * Placeholders the engine fills with fixed text, never with request input:
 *  - `{{bucket(col)}}`: the start of `col`'s bucket in the city's time zone (`{tz:String}`): for
 *    a series the step's interval (a day is a local day, a month a local month, a week starts on
 *    local Monday), for an evaluation the start of the period (the whole period is one bucket);
 *  - `{{last(stream: col, …)}}`: a subquery of a gauge stream's last report per entity,
 *    dimensions and bucket (`entity`, the dims, `b`, then the named columns), read from the
 *    raw reports with only the named columns (measured 3× faster than merging the 1 h rollup's
 *    whole-row states, bench/api-load.ts; the 1 d rollup buckets UTC days, which a local day
 *    straddles, so it is not used).
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
export const range = (col: string) => `${col} >= {from:DateTime64(3, 'UTC')} AND ${col} < {to:DateTime64(3, 'UTC')}`;

/** share of two sums over the corrected dossier reports */
const dossierShare = (part: string, whole: string) =>
  `SELECT {{bucket(observed_at)}} AS t, '' AS series, sum(${part}) / nullIf(sum(${whole}), 0) AS value
   FROM dossiers_asof FINAL WHERE ${range('observed_at')} GROUP BY t ORDER BY t`;

/**
 * Coverage of a cohort: (doses before go-live + doses of that dose and ages stored since
 * go-live up to the end of each bucket) / census of those ages. The period's first bucket is
 * always there (a zero row), so the opening balance alone still gives a value.
 */
const coverage = `SELECT t, series, value FROM (
  SELECT t, '' AS series, ({opening:Float64} + sum(n) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) / nullIf({population:Float64}, 0) AS value
  FROM (SELECT t, sum(n) AS n FROM (
      SELECT {{bucket(observed_at)}} AS t, toFloat64(sum(doses)) AS n FROM vaccination_asof FINAL
        WHERE dose_number = {dose:UInt8} AND has({ages:Array(String)}, age_group) AND observed_at >= {since:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')}
        GROUP BY t
      UNION ALL SELECT {{bucket({from:DateTime64(3, 'UTC')})}} AS t, 0 AS n)
    GROUP BY t))
  WHERE t >= {{bucket({from:DateTime64(3, 'UTC')})}} ORDER BY t`;

export const kpiComputations: Readonly<Record<string, KpiComputation>> = {
  'capacity-oxygen-occupancy': {
    stream: 'capacity',
    unit: 'ratio',
    cumulative: false,
    description: 'occupied / total oxygen beds per treatment tier, from each facility’s last report in the bucket',
    sql: `SELECT b AS t, concat('tier-', toString(tier)) AS series, sum(oxygen_beds_occupied) / nullIf(sum(oxygen_beds_total), 0) AS value
      FROM {{last(capacity: oxygen_beds_occupied, oxygen_beds_total)}}
      GROUP BY t, series ORDER BY t, series`,
  },
  'dossiers-online-share': {
    stream: 'dossiers',
    unit: 'ratio',
    cumulative: false,
    description: 'dossiers received online / all dossiers received',
    sql: dossierShare('received_online', 'received'),
  },
  'dossiers-on-time-rate': {
    stream: 'dossiers',
    unit: 'ratio',
    cumulative: false,
    description: 'resolved on time / resolved',
    sql: dossierShare('resolved_on_time', 'resolved'),
  },
  'vaccination-doses': {
    stream: 'vaccination',
    unit: 'doses',
    cumulative: false,
    description: 'doses given in the bucket, every dose number and age group',
    sql: `SELECT {{bucket(observed_at)}} AS t, '' AS series, toFloat64(sum(doses)) AS value FROM vaccination_asof FINAL WHERE ${range('observed_at')} GROUP BY t ORDER BY t`,
  },
  'vaccination-coverage-dose1': {
    stream: 'vaccination',
    unit: 'ratio',
    cumulative: true,
    description: 'people of the cohort with a first dose (opening balance + doses since go-live) / census of the cohort',
    sql: coverage,
  },
  'vaccination-booster-12-17': {
    stream: 'vaccination',
    unit: 'ratio',
    cumulative: true,
    description: 'people of the cohort with a booster (opening balance + doses since go-live) / census of the cohort',
    sql: coverage,
  },
  'prices-deviation': {
    stream: 'prices',
    unit: 'ratio',
    cumulative: false,
    description: 'largest |daily price / median of the 7 days before − 1| over markets and commodities; daily price = the local day’s last report',
    sql: `SELECT {{bucket(day)}} AS t, '' AS series, max(abs(price / baseline - 1)) AS value FROM (
        SELECT day, price, quantileExact(0.5)(price) OVER (PARTITION BY entity, commodity ORDER BY toUInt32(toDate(day, {tz:String})) RANGE BETWEEN 7 PRECEDING AND 1 PRECEDING) AS baseline
        FROM (SELECT toTimeZone(toStartOfDay(observed_at, {tz:String}), 'UTC') AS day, entity, commodity, toFloat64(argMax(price_vnd, tuple(observed_at, received_at))) AS price FROM prices_raw
              WHERE observed_at >= {from:DateTime64(3, 'UTC')} - INTERVAL 8 DAY AND observed_at < {to:DateTime64(3, 'UTC')} GROUP BY day, entity, commodity))
      WHERE ${range('day')} AND baseline > 0 GROUP BY t ORDER BY t`,
  },
};
