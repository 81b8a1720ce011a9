import type { DataStreamName } from '@haidang/stream';

/**
 * The KPIs, as data: what an evaluator reports to the province. Each is one SELECT over the
 * store returning `t` (bucket start), `series` ('' for a single series) and `value`.
 *
 * Placeholders the engine fills with fixed text, never with request input:
 *  - `{{bucket(col)}}`: the start of `col`'s bucket; for a series the step's interval, for an
 *    evaluation the start of the period (the whole period is one bucket);
 *  - `{{last(stream: col, …)}}`: a subquery of a gauge stream's last report per entity,
 *    dimensions and bucket (`entity`, the dims, `b`, then the named columns): from the 1 d
 *    rollup for steps of a day or more, otherwise from the raw reports, reading only the named
 *    columns (measured 3× faster than merging the rollup's whole-row states, bench/api-load.ts).
 * Query parameters: `{from:DateTime64(3, 'UTC')}`, `{to:DateTime64(3, 'UTC')}`, `{population:UInt64}`
 * (the city's population from the city pack).
 *
 * direction: 'max' = the value must stay at or below the target (a ceiling);
 * 'min' = it must reach at least the target (a floor). A null target is tracked, not judged.
 */
export interface KpiDefinition {
  id: string;
  name: { vi: string; en: string };
  stream: DataStreamName;
  unit: 'ratio' | 'doses';
  target: number | null;
  direction: 'min' | 'max';
  /** the period the city reports it by */
  period: 'day' | 'week' | 'month';
  /** where the target comes from: the action plan, a reached level, or our assumption */
  origin: 'plan' | 'fact' | 'assumed';
  description: string;
  sql: string;
}

/** the series' time range on `col`, as query parameters (the engine's subqueries use it too) */
export const range = (col: string) => `${col} >= {from:DateTime64(3, 'UTC')} AND ${col} < {to:DateTime64(3, 'UTC')}`;

/** share of two sums over the corrected dossier reports */
const dossierShare = (part: string, whole: string) =>
  `SELECT {{bucket(observed_at)}} AS t, '' AS series, sum(${part}) / nullIf(sum(${whole}), 0) AS value
   FROM dossiers_asof FINAL WHERE ${range('observed_at')} GROUP BY t ORDER BY t`;

export const kpiDefinitions: readonly KpiDefinition[] = [
  {
    id: 'capacity-oxygen-occupancy',
    name: { vi: 'Công suất sử dụng giường oxy theo tầng', en: 'Oxygen-bed occupancy by tier' },
    stream: 'capacity',
    unit: 'ratio',
    target: 0.85,
    direction: 'max',
    period: 'day',
    origin: 'assumed',
    description: 'occupied / total oxygen beds per treatment tier, from each facility’s last report in the bucket; the plan asks for more oxygen beds, 85% is assumed as the point to open more',
    sql: `SELECT b AS t, concat('tier-', toString(tier)) AS series, sum(oxygen_beds_occupied) / nullIf(sum(oxygen_beds_total), 0) AS value
      FROM {{last(capacity: oxygen_beds_occupied, oxygen_beds_total)}}
      GROUP BY t, series ORDER BY t, series`,
  },
  {
    id: 'dossiers-online-share',
    name: { vi: 'Tỷ lệ hồ sơ tiếp nhận trực tuyến', en: 'Share of dossiers received online' },
    stream: 'dossiers',
    unit: 'ratio',
    target: 0.5,
    direction: 'min',
    period: 'month',
    origin: 'plan',
    description: 'dossiers received online / all dossiers received (action plan NQ11: 50% received and processed online)',
    sql: dossierShare('received_online', 'received'),
  },
  {
    id: 'dossiers-on-time-rate',
    name: { vi: 'Tỷ lệ hồ sơ giải quyết đúng hạn', en: 'Dossiers resolved on time' },
    stream: 'dossiers',
    unit: 'ratio',
    target: 0.95,
    direction: 'min',
    period: 'month',
    origin: 'assumed',
    description: 'resolved on time / resolved; no number in the plan, 95% assumed until the city sets one',
    sql: dossierShare('resolved_on_time', 'resolved'),
  },
  {
    id: 'vaccination-doses',
    name: { vi: 'Số mũi vắc-xin đã tiêm', en: 'Vaccine doses given' },
    stream: 'vaccination',
    unit: 'doses',
    target: null,
    direction: 'min',
    period: 'month',
    origin: 'plan',
    description: 'doses given in the bucket, all dose numbers (the plan asks to keep vaccinating; no number)',
    sql: `SELECT {{bucket(observed_at)}} AS t, '' AS series, toFloat64(sum(doses)) AS value FROM vaccination_asof FINAL WHERE ${range('observed_at')} GROUP BY t ORDER BY t`,
  },
  {
    id: 'vaccination-coverage-dose1',
    name: { vi: 'Tỷ lệ bao phủ mũi 1', en: 'First-dose coverage' },
    stream: 'vaccination',
    unit: 'ratio',
    target: 0.95,
    direction: 'min',
    period: 'month',
    origin: 'fact',
    description: 'first doses given up to the end of the bucket / city population (all ages: the pack has no age pyramid); BR-VT reached ≥95% of adults in Nov 2021',
    sql: `SELECT t, '' AS series, cumulative / nullIf({population:UInt64}, 0) AS value FROM (
        SELECT {{bucket(observed_at)}} AS t, sum(sum(doses)) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative
        FROM vaccination_asof FINAL WHERE dose_number = 1 AND observed_at < {to:DateTime64(3, 'UTC')} GROUP BY t)
      WHERE t >= {{bucket({from:DateTime64(3, 'UTC')})}} ORDER BY t`,
  },
  {
    id: 'prices-deviation',
    name: { vi: 'Độ lệch giá hàng thiết yếu so với trung vị 7 ngày', en: 'Essential-goods price deviation from the 7-day median' },
    stream: 'prices',
    unit: 'ratio',
    target: 0.1,
    direction: 'max',
    period: 'week',
    origin: 'assumed',
    description: 'largest |daily price / median of the 7 days before − 1| over markets and commodities; daily price = the day’s last report; the plan asks to stabilise prices, 10% assumed',
    sql: `SELECT {{bucket(day)}} AS t, '' AS series, max(abs(price / baseline - 1)) AS value FROM (
        SELECT day, price, quantileExact(0.5)(price) OVER (PARTITION BY entity, commodity ORDER BY toUInt32(toDate(day)) RANGE BETWEEN 7 PRECEDING AND 1 PRECEDING) AS baseline
        FROM (SELECT bucket AS day, entity, commodity, toFloat64(argMaxMerge(last).price_vnd) AS price FROM prices_1d
              WHERE bucket >= {from:DateTime64(3, 'UTC')} - INTERVAL 8 DAY AND bucket < {to:DateTime64(3, 'UTC')} GROUP BY day, entity, commodity))
      WHERE ${range('day')} AND baseline > 0 GROUP BY t ORDER BY t`,
  },
];

export const kpiById = new Map(kpiDefinitions.map((k) => [k.id, k]));
