import type { ClickHouseClient } from '@clickhouse/client';
import { chTime, streamTables, type DataStreamName } from '@haidang/stream';
import { selectRows } from '../state/store-query.ts';
import { isoFromCh, steps, type ResolvedRange } from '../state/time-range.ts';
import { range, type KpiDefinition } from './definitions.ts';

/** a KPI's SQL with its placeholders filled for a series (a step) or an evaluation (one bucket) */
export function kpiSql(def: KpiDefinition, mode: { step: keyof typeof steps } | 'period'): string {
  const bucket = (col: string) =>
    mode === 'period' ? `toDateTime({from:DateTime64(3, 'UTC')}, 'UTC')` : `toDateTime(toStartOfInterval(${col}, ${steps[mode.step].interval}, 'UTC'), 'UTC')`;
  const daily = mode !== 'period' && steps[mode.step].ms >= 86_400_000;
  return def.sql
    .replace(/\{\{last\((\w+): ([\w, ]+)\)\}\}/g, (_, stream: string, cols: string) => lastPerBucket(stream as DataStreamName, cols.split(',').map((c) => c.trim()), bucket, daily))
    .replace(/\{\{bucket\((.+?)\)\}\}/g, (_, col: string) => bucket(col));
}

/** the `{{last(stream: cols)}}` subquery (see definitions.ts); names come from the definitions, never from a request */
function lastPerBucket(stream: DataStreamName, cols: string[], bucket: (col: string) => string, daily: boolean): string {
  const dims = streamTables[stream].dims.join(', ');
  if (daily) {
    return `(SELECT entity, ${dims}, ${bucket('bucket')} AS b, argMaxMerge(last) AS l, ${cols.map((c) => `l.${c} AS ${c}`).join(', ')}
      FROM ${stream}_1d WHERE ${range('bucket')} GROUP BY entity, ${dims}, b)`;
  }
  // two levels: an alias may not reuse the name of a column its own aggregate reads
  return `(SELECT entity, ${dims}, b, ${cols.map((c, i) => `l.${i + 1} AS ${c}`).join(', ')} FROM (
      SELECT entity, ${dims}, ${bucket('observed_at')} AS b, argMax(tuple(${cols.join(', ')}), tuple(observed_at, received_at)) AS l
      FROM ${stream}_raw WHERE ${range('observed_at')} GROUP BY entity, ${dims}, b))`;
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

export function kpiParams(from: string, to: string, population: number) {
  return { from, to, population };
}

export async function kpiSeries(client: ClickHouseClient, def: KpiDefinition, range: ResolvedRange, population: number): Promise<KpiPoint[]> {
  const rows = await selectRows<{ t: string; series: string; value: number | null }>(client, `SELECT toString(t) AS t, series, value FROM (${kpiSql(def, { step: range.step })})`, kpiParams(range.from, range.to, population));
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
}

export function judge(def: KpiDefinition, actual: number | null): boolean | null {
  if (actual === null || def.target === null) return null;
  return def.direction === 'max' ? actual <= def.target : actual >= def.target;
}

/** the KPI over [from, to) as one bucket, per series, against its target */
export async function kpiEvaluate(client: ClickHouseClient, def: KpiDefinition, from: Date, to: Date, population: number): Promise<KpiEvaluation[]> {
  const rows = await selectRows<{ t: string; series: string; value: number | null }>(client, `SELECT toString(t) AS t, series, value FROM (${kpiSql(def, 'period')})`, kpiParams(chTime(from), chTime(to), population));
  const points = rows.map(toPoint);
  if (!points.length) return [{ kpi: def.id, series: '', actual: null, target: def.target, direction: def.direction, met: null }];
  return points.map((p) => ({ kpi: def.id, series: p.series, actual: p.value, target: def.target, direction: def.direction, met: judge(def, p.value) }));
}
