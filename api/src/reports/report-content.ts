import type { ClickHouseClient } from '@clickhouse/client';
import type { KpiCatalogue } from '../kpi/city-kpis.ts';
import type { KpiDefinition } from '../kpi/definitions.ts';
import type { KpiPoint } from '../kpi/engine.ts';
import type { OpeningBalanceInForce } from '../kpi/opening-balance.ts';
import { reportPeriods } from '../kpi/report-periods.ts';
import { streamCoverage, type StreamCoverage } from './report-coverage.ts';
import { kpiReportSeries, kpiSummary, type KpiSummaryRow, type ReportPeriod } from './report-data.ts';
import { systemFigures, type SystemFigures } from './report-system.ts';
import { readReportTables, type ReportTable } from './stream-tables.ts';
import { viDate, viLastDay } from './vi-format.ts';

interface KpiSection {
  def: KpiDefinition;
  summary: KpiSummaryRow[];
  series: KpiPoint[];
}

/** everything an evaluation report shows, read once, written as XLSX, PDF or a JSON preview */
export interface ReportContent {
  period: ReportPeriod;
  title: string;
  tz: string;
  city: { vi: string; en: string };
  sections: KpiSection[];
  /** the streams' own tables (each disbursement project, …), from their descriptors */
  tables: ReportTable[];
  /** per stream, the local days with and without reports */
  coverage: StreamCoverage[];
  /** the IOC's own figures for the period */
  system: SystemFigures;
  openingBalance: OpeningBalanceInForce | null;
  generatedAt: Date;
}

function reportTitle(period: ReportPeriod, tz: string): string {
  const plan = reportPeriods.find((p) => p.id === period.id);
  return plan ? plan.label.vi : `Báo cáo kỳ ${viDate(period.from, tz)} – ${viLastDay(period.to, tz)}`;
}

/** every KPI's summary and series over the period, one KPI at a time with a progress line each, then coverage and the system's figures */
export async function readReport(store: ClickHouseClient, catalogue: KpiCatalogue, balance: OpeningBalanceInForce | null, period: ReportPeriod, progress: (done: number, of: number, kpi: string) => void): Promise<ReportContent> {
  const sections: KpiSection[] = [];
  for (const def of catalogue.definitions) {
    const series = await kpiReportSeries(store, catalogue, def, period, balance);
    sections.push({ def, series, summary: await kpiSummary(store, catalogue, def, period, balance, series) });
    progress(sections.length, catalogue.definitions.length, def.id);
  }
  const [tables, coverage, system] = await Promise.all([readReportTables(store, period, catalogue.timezone), streamCoverage(store, period, catalogue.timezone), systemFigures(store, period)]);
  return { period, title: reportTitle(period, catalogue.timezone), tz: catalogue.timezone, city: catalogue.city.name, sections, tables, coverage, system, openingBalance: balance, generatedAt: new Date() };
}
