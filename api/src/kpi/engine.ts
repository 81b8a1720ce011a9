import type { ClickHouseClient } from '@clickhouse/client';
import { chTime, kpiHourlyLast, streamTables, type DataStreamName } from '@haidang/stream';
import { selectRows } from '../state/store-query.ts';
import { isoFromCh, steps, type ResolvedRange, type Step } from '../state/time-range.ts';
import type { KpiCatalogue } from './city-kpis.ts';
import { range, type KpiDefinition } from './definitions.ts';
import { openingOf, type KpiOpening, type OpeningBalanceInForce } from './opening-balance.ts';

/**
 * Buckets in the city's zone: a day starts at local midnight, a week on local Monday, a month
 * on the 1st. Only these literals reach SQL text; the zone travels as `{tz:String}`.
 */
const localInterval: Record<Step, string> = {
  '1m': 'INTERVAL 1 MINUTE',
  '5m': 'INTERVAL 5 MINUTE',
  '15m': 'INTERVAL 15 MINUTE',
  '1h': 'INTERVAL 1 HOUR',
  '6h': 'INTERVAL 6 HOUR',
  '1d': 'INTERVAL 1 DAY',
  '7d': 'INTERVAL 1 WEEK',
  '1M': 'INTERVAL 1 MONTH',
};

/** `{{last(stream: col, …)}}` in a KPI's SQL */
const lastRefs = /\{\{last\((\w+): ([\w, ]+)\)\}\}/g;

/** the local bucket start of `col`, as a UTC DateTime (toStartOfInterval gives a Date for days and longer: local midnight of it) */
const localBucket = (col: string, step: Step) => `toTimeZone(toDateTime(toStartOfInterval(${col}, ${localInterval[step]}, {tz:String}), {tz:String}), 'UTC')`;

/**
 * A KPI's SQL with its placeholders filled for a series (a step) or an evaluation (one bucket).
 * A series' first bucket starts no earlier than the range: a report from 15 August labels its
 * first month 15/08, not 01/08 (and a cumulative KPI's earlier doses all fall into that bucket).
 */
export function kpiSql(def: KpiDefinition, mode: { step: Step } | 'period', source: KpiSource = 'raw'): string {
  const start = `toDateTime({from:DateTime64(3, 'UTC')}, 'UTC')`;
  const bucket = (col: string) => (mode === 'period' ? start : `greatest(${localBucket(col, mode.step)}, ${start})`);
  return def.sql
    .replace(lastRefs, (_, stream: string, cols: string) => (source === 'hourly' ? lastPerBucketHourly : lastPerBucket)(stream as DataStreamName, cols.split(',').map((c) => c.trim()), bucket))
    .replace(/\{\{bucket\((.+?)\)\}\}/g, (_, col: string) => bucket(col));
}

/** where `{{last(…)}}` reads: raw, or the hourly last reports of the KPI columns (`<stream>_kpi_1h`, migration 0006) */
export type KpiSource = 'raw' | 'hourly';

const hourMs = 3_600_000;

/** one formatter per zone: building one costs more than the check it serves, on every series request */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** the zone's offset from UTC at `t`, in minutes */
function offsetMinutes(tz: string, t: number): number {
  let format = offsetFormats.get(tz);
  if (!format) offsetFormats.set(tz, (format = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })));
  const name = format.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/**
 * Whether a KPI series can read the hourly last reports instead of raw and give the same
 * answer: every `{{last(…)}}` names columns the stream's `_kpi_1h` table holds, the step is an
 * hour or longer, the range starts and ends on whole hours, and the city's zone is a whole
 * number of hours from UTC over the range (checked every week of it), so each local bucket is
 * a union of whole UTC hours. Anything else reads raw.
 */
export function kpiSource(def: KpiDefinition, range: ResolvedRange, tz: string): KpiSource {
  if (steps[range.step].ms < hourMs) return 'raw';
  const refs = [...def.sql.matchAll(lastRefs)];
  if (!refs.length || !refs.every(([, stream, cols]) => cols!.split(',').every((c) => kpiHourlyLast[stream!]?.includes(c.trim())))) return 'raw';
  const from = Date.parse(range.fromIso);
  const to = Date.parse(range.toIso);
  if (from % hourMs !== 0 || to % hourMs !== 0) return 'raw';
  for (let t = from; ; t = Math.min(t + 7 * 86_400_000, to)) {
    if (offsetMinutes(tz, t) % 60 !== 0) return 'raw';
    if (t === to) break;
  }
  return 'hourly';
}

/** the `{{last(stream: cols)}}` subquery (see definitions.ts); names come from the definitions, never from a request */
function lastPerBucket(stream: DataStreamName, cols: string[], bucket: (col: string) => string): string {
  const dims = streamTables[stream].dims.join(', ');
  // two levels: an alias may not reuse the name of a column its own aggregate reads
  return `(SELECT entity, ${dims}, b, ${cols.map((c, i) => `l.${i + 1} AS ${c}`).join(', ')} FROM (
      SELECT entity, ${dims}, ${bucket('observed_at')} AS b, argMax(tuple(${cols.join(', ')}), tuple(observed_at, received_at)) AS l
      FROM ${stream}_raw WHERE ${range('observed_at')} GROUP BY entity, ${dims}, b))`;
}

/** the same subquery over `<stream>_kpi_1h`: each hour's last report merged into the bucket's last (argMax of argMax) */
function lastPerBucketHourly(stream: DataStreamName, cols: string[], bucket: (col: string) => string): string {
  const dims = streamTables[stream].dims.join(', ');
  const held = kpiHourlyLast[stream]!;
  return `(SELECT entity, ${dims}, b, ${cols.map((c) => `l.${held.indexOf(c) + 1} AS ${c}`).join(', ')} FROM (
      SELECT entity, ${dims}, ${bucket('bucket')} AS b, argMaxMerge(last) AS l
      FROM ${stream}_kpi_1h WHERE ${range('bucket')} GROUP BY entity, ${dims}, b))`;
}

export interface KpiPoint {
  t: string;
  series: string;
  value: number | null;
}

const toPoint = (r: { t: string; series: string; value: number | string | null }): KpiPoint => ({
  t: isoFromCh(r.t)!,
  series: r.series,
  value: r.value === null || !Number.isFinite(Number(r.value)) ? null : Number(r.value),
});

/** go-live when no opening balance is known: every stored dose counts */
const epoch = '1970-01-01 00:00:00.000';

/** the query parameters of a KPI over [from, to) (ClickHouse UTC literals) */
export function kpiParams(catalogue: KpiCatalogue, def: KpiDefinition, from: string, to: string, balance: OpeningBalanceInForce | null): Record<string, unknown> {
  const params: Record<string, unknown> = { from, to, tz: catalogue.timezone };
  if (def.cumulative && def.cohort) {
    const opening = openingOf(def, balance);
    Object.assign(params, {
      dose: def.cohort.doseNumber,
      ages: def.cohort.ageGroups,
      population: catalogue.populationOf(def) ?? 0,
      opening: opening?.doses ?? 0,
      since: opening ? chTime(new Date(opening.asOf)) : epoch,
    });
  }
  return params;
}

export async function kpiSeries(client: ClickHouseClient, catalogue: KpiCatalogue, def: KpiDefinition, range: ResolvedRange, balance: OpeningBalanceInForce | null): Promise<KpiPoint[]> {
  const rows = await selectRows<{ t: string; series: string; value: number | null }>(client, `SELECT toString(t) AS t, series, value FROM (${kpiSql(def, { step: range.step }, kpiSource(def, range, catalogue.timezone))})`, kpiParams(catalogue, def, range.from, range.to, balance), { streams: [def.stream] });
  return rows.map(toPoint);
}

export interface KpiEvaluation {
  kpi: string;
  series: string;
  actual: number | null;
  target: number | null;
  direction: 'min' | 'max';
  /** null: no data in the period, or a KPI without a target */
  met: boolean | null;
  /** cumulative KPIs: the doses before go-live included in `actual`, and where that figure comes from */
  opening?: KpiOpening | null;
  /** coverage KPIs: the census of the cohort (the denominator) */
  population?: number | null;
}

export function judge(def: KpiDefinition, actual: number | null): boolean | null {
  if (actual === null || def.target === null) return null;
  return def.direction === 'max' ? actual <= def.target : actual >= def.target;
}

/** the KPI over [from, to) as one bucket, per series, against its target */
export async function kpiEvaluate(client: ClickHouseClient, catalogue: KpiCatalogue, def: KpiDefinition, from: Date, to: Date, balance: OpeningBalanceInForce | null): Promise<KpiEvaluation[]> {
  const rows = await selectRows<{ t: string; series: string; value: number | null }>(client, `SELECT toString(t) AS t, series, value FROM (${kpiSql(def, 'period')})`, kpiParams(catalogue, def, chTime(from), chTime(to), balance), { streams: [def.stream] });
  const points = rows.map(toPoint);
  const extra = def.cumulative ? { opening: openingOf(def, balance), population: catalogue.populationOf(def) } : {};
  if (!points.length) return [{ kpi: def.id, series: '', actual: null, target: def.target, direction: def.direction, met: null, ...extra }];
  return points.map((p) => ({ kpi: def.id, series: p.series, actual: p.value, target: def.target, direction: def.direction, met: judge(def, p.value), ...extra }));
}
