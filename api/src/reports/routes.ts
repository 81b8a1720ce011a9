import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { Logger } from '@haidang/stream';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import { kpiDefinitions } from '../kpi/definitions.ts';
import { reportPeriodIds, reportPeriods } from '../kpi/report-periods.ts';
import { cityPopulation } from '../kpi/routes.ts';
import type { Places } from '../places.ts';
import { EvaluationPdf } from './evaluation-pdf.ts';
import { evaluationXlsx, type KpiSection } from './evaluation-xlsx.ts';
import { kpiReportSeries, kpiSummary, type ReportPeriod } from './report-data.ts';
import { viDate, viLastDay } from './vi-format.ts';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone' });
/** longest period one report may cover: five years of daily buckets is still a small workbook */
const maxPeriodMs = 5 * 366 * 86_400_000;

export const reportQuery = z
  .strictObject({ report: z.enum(reportPeriodIds).optional(), from: instant.optional(), to: instant.optional(), format: z.enum(['xlsx', 'pdf']).default('pdf') })
  .refine((q) => (q.report ? !q.from && !q.to : !!(q.from && q.to)), { message: 'give either report or both from and to', path: ['report'] });

const contentType = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pdf: 'application/pdf' } as const;

/** every KPI's summary and series over the period, one KPI at a time, with a progress line each */
export async function readSections(store: ClickHouseClient, period: ReportPeriod, population: number, progress: (done: number, of: number, kpi: string) => void): Promise<KpiSection[]> {
  const sections: KpiSection[] = [];
  for (const def of kpiDefinitions) {
    const series = await kpiReportSeries(store, def, period, population);
    sections.push({ def, series, summary: await kpiSummary(store, def, period, population, series) });
    progress(sections.length, kpiDefinitions.length, def.id);
  }
  return sections;
}

export function reportTitle(period: ReportPeriod): string {
  const plan = reportPeriods.find((p) => p.id === period.id);
  return plan ? plan.label.vi : `Báo cáo kỳ ${viDate(period.from)} – ${viLastDay(period.to)}`;
}

export function reportRoutes(app: App, d: { store: ClickHouseClient; sessions: Sessions; audit: AuditLog; places: Places; logger: Logger }): void {
  const population = cityPopulation(d.places);

  app.get('/reports/evaluation', {
    preHandler: d.sessions.require('export'),
    schema: {
      tags: ['export'],
      summary: 'The evaluation report of a plan report date (report=2022-08-15 | 2023-08 | 2024-04) or of from/to: XLSX (summary + a sheet per KPI) or PDF (summary + a chart per KPI), in Vietnamese; audit-logged',
      querystring: reportQuery,
    },
    handler: async (request, reply) => {
      const q = request.query;
      const plan = q.report ? reportPeriods.find((p) => p.id === q.report)! : undefined;
      const period: ReportPeriod = { id: plan?.id ?? null, from: new Date(plan?.from ?? q.from!), to: new Date(plan?.to ?? q.to!) };
      if (period.from >= period.to) return problem(reply, 400, 'Invalid request', 'querystring.from: must be before to', [{ field: 'querystring.from', message: 'must be before to' }]);
      if (period.to.getTime() - period.from.getTime() > maxPeriodMs) return problem(reply, 400, 'Invalid request', 'querystring.from: a report covers at most five years', [{ field: 'querystring.from', message: 'a report covers at most five years' }]);

      const what = period.id ? `evaluation-${period.id}` : `evaluation_${period.from.toISOString().slice(0, 10)}_${period.to.toISOString().slice(0, 10)}`;
      const filename = `haidang-${what}_generated-${new Date().toISOString().slice(0, 16).replace(/:/g, '')}Z.${q.format}`;
      // audit first: a report that cannot be audited is not made
      await d.audit.record({ actor: request.user.sub, action: 'export', target: 'evaluation-report', detail: { format: q.format, report: period.id, from: period.from.toISOString(), to: period.to.toISOString(), filename }, ip: request.ip });
      const log = request.log.child({ report: what, format: q.format });
      const started = Date.now();
      const sections = await readSections(d.store, period, population, (done, of, kpi) => log.info({ done, of, kpi }, `evaluation report: ${done}/${of} KPIs read`));
      const title = reportTitle(period);
      reply.header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').type(contentType[q.format]);
      if (q.format === 'xlsx') {
        const body = await evaluationXlsx(period, title, sections);
        log.info({ ms: Date.now() - started, bytes: body.length }, 'evaluation report written');
        return reply.send(body);
      }
      const pdf = new EvaluationPdf(period, title);
      pdf.doc.on('end', () => log.info({ ms: Date.now() - started }, 'evaluation report written'));
      // pages stream out while the rest is drawn
      void reply.send(pdf.doc);
      pdf.summary(sections.flatMap((s) => s.summary.map((row) => ({ def: s.def, row }))));
      sections.forEach((s, i) => pdf.chart(i, s.def, s.series));
      pdf.end();
      return reply;
    },
  });
}
