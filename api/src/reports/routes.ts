import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { Logger } from '@haidang/stream';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import { eitherMessage, eitherReportOrRange, periodProblem, periodQuery, resolvePeriod } from '../kpi/report-periods.ts';
import type { KpiDeps } from '../kpi/routes.ts';
import { localDate } from '../kpi/local-time.ts';
import { EvaluationPdf } from './evaluation-pdf.ts';
import { evaluationXlsx } from './evaluation-xlsx.ts';
import { readReport } from './report-content.ts';
import type { ReportPeriod } from './report-data.ts';

/** longest period one report may cover: five years of daily buckets is still a small workbook */
const maxPeriodMs = 5 * 366 * 86_400_000;

const reportQuery = z.strictObject({ ...periodQuery, format: z.enum(['xlsx', 'pdf']).default('pdf') }).refine(eitherReportOrRange, eitherMessage);
const previewQuery = z.strictObject(periodQuery).refine(eitherReportOrRange, eitherMessage);

const contentType = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pdf: 'application/pdf' } as const;

export function reportRoutes(app: App, d: { store: ClickHouseClient; sessions: Sessions; audit: AuditLog; kpi: KpiDeps; logger: Logger }): void {
  const { catalogue, balances } = d.kpi;
  const tz = catalogue.timezone;

  /** the period asked for, or the reason it cannot be reported */
  const periodOr400 = (q: { report?: string | undefined; from?: string | undefined; to?: string | undefined }): ReportPeriod | { field: string; message: string } => {
    const period = resolvePeriod(q, tz);
    const wrong = periodProblem(period);
    if (wrong) return wrong;
    if (period.to.getTime() - period.from.getTime() > maxPeriodMs) return { field: 'querystring.from', message: 'a report covers at most five years' };
    return period;
  };

  app.get('/reports/evaluation/preview', {
    preHandler: d.sessions.require('kpi'),
    schema: {
      tags: ['export'],
      summary: 'What the evaluation report of a period will say, as JSON: every KPI’s actual vs target (opening balance and cohort of cumulative ones), the local days each stream has no report, and the IOC’s own figures (on-time sources, rejected reports, freshness, alerts)',
      querystring: previewQuery,
    },
    handler: async (request, reply) => {
      const period = periodOr400(request.query);
      if ('field' in period) return problem(reply, 400, 'Invalid request', `${period.field}: ${period.message}`, [period]);
      const r = await readReport(d.store, catalogue, await balances.current(), period, () => {});
      return {
        report: period.id,
        title: r.title,
        timezone: tz,
        from: period.from.toISOString(),
        to: period.to.toISOString(),
        firstDay: localDate(period.from, tz),
        lastDay: localDate(new Date(period.to.getTime() - 1), tz),
        results: r.sections.flatMap((s) => s.summary.map((x) => ({ ...x, name: s.def.name, unit: s.def.unit }))),
        tables: r.tables,
        coverage: r.coverage,
        system: r.system,
        openingBalance: r.openingBalance,
      };
    },
  });

  app.get('/reports/evaluation', {
    preHandler: d.sessions.require('export'),
    schema: {
      tags: ['export'],
      summary: 'The evaluation report of a plan report date (report=2022-08-15 | 2023-08 | 2024-04) or of any from/to (dates = local days, `to` included): XLSX (summary, a sheet per KPI, missing data, the IOC’s own figures) or PDF (the same with a chart per KPI), in Vietnamese; audit-logged',
      querystring: reportQuery,
    },
    handler: async (request, reply) => {
      const q = request.query;
      const period = periodOr400(q);
      if ('field' in period) return problem(reply, 400, 'Invalid request', `${period.field}: ${period.message}`, [period]);

      const what = period.id ? `evaluation-${period.id}` : `evaluation_${localDate(period.from, tz)}_${localDate(new Date(period.to.getTime() - 1), tz)}`;
      const filename = `haidang-${what}_generated-${new Date().toISOString().slice(0, 16).replace(/:/g, '')}Z.${q.format}`;
      // audit first: a report that cannot be audited is not made
      await d.audit.record({ actor: request.user.sub, action: 'export', target: 'evaluation-report', detail: { format: q.format, report: period.id, from: period.from.toISOString(), to: period.to.toISOString(), filename }, ip: request.ip });
      const log = request.log.child({ report: what, format: q.format });
      const started = Date.now();
      const content = await readReport(d.store, catalogue, await balances.current(), period, (done, of, kpi) => log.info({ done, of, kpi }, `evaluation report: ${done}/${of} KPIs read`));
      reply.header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').type(contentType[q.format]);
      if (q.format === 'xlsx') {
        const body = await evaluationXlsx(content);
        log.info({ ms: Date.now() - started, bytes: body.length }, 'evaluation report written');
        return reply.send(body);
      }
      const pdf = new EvaluationPdf(period, content.title, tz, content.city);
      pdf.doc.on('end', () => log.info({ ms: Date.now() - started }, 'evaluation report written'));
      // pages stream out while the rest is drawn
      void reply.send(pdf.doc);
      pdf.summary(content.sections.flatMap((s) => s.summary.map((row) => ({ def: s.def, row }))));
      content.sections.forEach((s, i) => pdf.chart(i, s.def, s.series));
      pdf.tables(content.tables);
      pdf.missing(content.coverage);
      pdf.system(content.system);
      pdf.end();
      return reply;
    },
  });
}
