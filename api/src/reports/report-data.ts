import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '@haidang/stream';
import { linearRegression } from 'simple-statistics';
import type { KpiDefinition } from '../kpi/definitions.ts';
import type { KpiCatalogue } from '../kpi/city-kpis.ts';
import { kpiEvaluate, kpiSeries, type KpiEvaluation, type KpiPoint } from '../kpi/engine.ts';
import type { OpeningBalanceInForce } from '../kpi/opening-balance.ts';
import type { Step } from '../state/time-range.ts';

/** the period an evaluation report covers; `id` is a plan report date, or null for an evaluator's own */
export interface ReportPeriod {
  id: string | null;
  from: Date;
  to: Date;
}

export type Trend = 'up' | 'down' | 'flat' | 'unknown';

export interface KpiSummaryRow extends KpiEvaluation {
  trend: Trend;
  /** whether the trend moves towards the target's side (null when flat, unknown or untargeted) */
  improving: boolean | null;
}

/** the series step of a KPI in a report: the period the city reports it by */
const reportStep: Record<KpiDefinition['period'], Step> = { day: '1d', week: '7d', month: '1M', quarter: '1M', year: '1M' };

/**
 * Direction of a series over the period: the change along its least-squares line (simple-
 * statistics), first bucket to last. Flat when it moves less than one percentage point
 * (ratios) or 5% of its mean (counts), so noise does not read as a trend.
 */
function trendOf(def: KpiDefinition, values: number[]): { trend: Trend; improving: boolean | null } {
  if (values.length < 2) return { trend: 'unknown', improving: null };
  const change = linearRegression(values.map((v, i) => [i, v])).m * (values.length - 1);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const flatBelow = def.unit === 'ratio' ? 0.01 : 0.05 * Math.abs(mean);
  if (Math.abs(change) < flatBelow) return { trend: 'flat', improving: null };
  const trend = change > 0 ? 'up' : 'down';
  return { trend, improving: def.target === null ? null : (trend === 'up') === (def.direction === 'min') };
}

/** the KPI judged over the whole period (the KPI engine, so the same numbers as /kpi/evaluation), with its trend */
export async function kpiSummary(client: ClickHouseClient, catalogue: KpiCatalogue, def: KpiDefinition, period: ReportPeriod, balance: OpeningBalanceInForce | null, series: KpiPoint[]): Promise<KpiSummaryRow[]> {
  const evaluations = await kpiEvaluate(client, catalogue, def, period.from, period.to, balance);
  return evaluations.map((e) => ({ ...e, ...trendOf(def, series.filter((p) => p.series === e.series && p.value !== null).map((p) => p.value!)) }));
}

/** the KPI's series over the period at its reporting step (local days, weeks, months) */
export function kpiReportSeries(client: ClickHouseClient, catalogue: KpiCatalogue, def: KpiDefinition, period: ReportPeriod, balance: OpeningBalanceInForce | null): Promise<KpiPoint[]> {
  const step = reportStep[def.period];
  return kpiSeries(client, catalogue, def, { from: chTime(period.from), to: chTime(period.to), step, fromIso: period.from.toISOString(), toIso: period.to.toISOString() }, balance);
}
