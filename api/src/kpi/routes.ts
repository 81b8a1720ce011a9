import type { ClickHouseClient } from '@clickhouse/client';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { ageGroups } from '@haidang/stream';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import { answerOnce } from '../state/answer-once.ts';
import { rangeOr400 } from '../state/routes.ts';
import { rangeQuery } from '../state/time-range.ts';
import type { KpiCatalogue } from './city-kpis.ts';
import { kpiEvaluate, kpiSeries } from './engine.ts';
import type { OpeningBalances } from './opening-balance.ts';
import { eitherMessage, eitherReportOrRange, periodProblem, periodQuery, reportPeriods, resolvePeriod } from './report-periods.ts';

const kpiId = z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and - only').max(64);

/** the KPIs of the city and the opening balance of cumulative ones, as every KPI route needs them */
export interface KpiDeps {
  catalogue: KpiCatalogue;
  balances: OpeningBalances;
}

const doseRow = z.strictObject({ doseNumber: z.number().int().min(1).max(10), ageGroup: z.enum(ageGroups), doses: z.number().int().nonnegative() });
const openingBody = z.strictObject({
  asOf: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone, e.g. 2022-01-30T00:00:00+07:00' })
    .refine((s) => !periodProblem({ from: new Date(s), to: new Date(Date.UTC(2100, 0, 1)) }), 'must lie between 1970 and 2100'),
  basis: z.string().min(1).max(2000),
  doses: z.array(doseRow).min(1).max(200),
});

/** CSV columns of an opening-balance file, English or Vietnamese headers */
const csvHeaders: Record<string, 'doseNumber' | 'ageGroup' | 'doses'> = { dosenumber: 'doseNumber', dose: 'doseNumber', mui: 'doseNumber', 'mũi': 'doseNumber', 'mũi tiêm': 'doseNumber', agegroup: 'ageGroup', 'nhóm tuổi': 'ageGroup', doses: 'doses', 'số mũi': 'doses', 'số mũi đã tiêm': 'doses' };

/** an opening-balance CSV (`,` or `;`, BOM or not): one row per dose and age group */
function dosesFromCsv(text: string): unknown[] {
  const rows = parse(text, { bom: true, columns: (h: string[]) => h.map((c) => csvHeaders[c.trim().toLowerCase()] ?? c.trim()), delimiter: [';', ','], skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
  const int = (s: string | undefined) => (s !== undefined && /^\d[\d.]*$/.test(s) ? Number(s.replace(/\./g, '')) : s);
  return rows.map((r) => ({ doseNumber: int(r.doseNumber), ageGroup: r.ageGroup, doses: int(r.doses) }));
}

export function kpiRoutes(app: App, d: { store: ClickHouseClient; sessions: Sessions; audit: AuditLog; kpi: KpiDeps }): void {
  const { catalogue, balances } = d.kpi;

  app.get('/kpi', {
    preHandler: d.sessions.require('kpi'),
    schema: { tags: ['kpi'], summary: 'The city’s KPIs (targets from the city pack): name, unit, target, direction, period, cohort and census, the SQL that computes each; the plan’s report periods; the city’s time zone and the opening balance in force' },
    handler: async () => ({
      timezone: catalogue.timezone,
      kpis: catalogue.definitions.map((k) => ({ ...k, population: catalogue.populationOf(k) })),
      reportPeriods,
      openingBalance: await balances.current(),
    }),
  });

  app.get('/kpi/:id/series', {
    preHandler: d.sessions.require('kpi'),
    schema: { tags: ['kpi'], summary: 'A KPI over time; buckets of an hour and longer start on the city’s local clock (a day at local midnight)', params: z.strictObject({ id: kpiId }), querystring: z.strictObject(rangeQuery) },
    handler: async (request, reply) => {
      const def = catalogue.byId.get(request.params.id);
      if (!def) return problem(reply, 404, 'No such KPI', `no KPI "${request.params.id}"`, [{ field: 'params.id', message: 'unknown KPI' }]);
      const range = rangeOr400(reply, request.query);
      if (!range) return reply;
      const answer = async () => ({ kpi: def.id, unit: def.unit, target: def.target, direction: def.direction, timezone: catalogue.timezone, from: range.fromIso, to: range.toIso, step: range.step, points: await kpiSeries(d.store, catalogue, def, range, def.cumulative ? await balances.current() : null) });
      // a cumulative KPI also reads the opening balance, which an admin on any instance may replace: built each time
      return def.cumulative ? answer() : answerOnce(d.store, request, reply, [def.stream], answer, { vary: range.fromIso + range.toIso, upTo: range.toIso });
    },
  });

  app.get('/kpi/evaluation', {
    preHandler: d.sessions.require('kpi'),
    schema: {
      tags: ['kpi'],
      summary: 'Actual vs target for a period: one of the plan’s report periods, or from/to (dates are local days of the city, `to` included)',
      querystring: z.strictObject({ ...periodQuery, kpi: kpiId.optional() }).refine(eitherReportOrRange, eitherMessage),
    },
    handler: async (request, reply) => {
      const q = request.query;
      const period = resolvePeriod(q, catalogue.timezone);
      const wrong = periodProblem(period);
      if (wrong) return problem(reply, 400, 'Invalid request', `${wrong.field}: ${wrong.message}`, [wrong]);
      const defs = q.kpi ? [catalogue.byId.get(q.kpi)].filter((k) => !!k) : catalogue.definitions;
      if (!defs.length) return problem(reply, 404, 'No such KPI', `no KPI "${q.kpi}"`, [{ field: 'querystring.kpi', message: 'unknown KPI' }]);
      const balance = await balances.current();
      const results = (await Promise.all(defs.map((def) => kpiEvaluate(d.store, catalogue, def, period.from, period.to, balance)))).flat();
      return { report: period.id, from: period.from.toISOString(), to: period.to.toISOString(), timezone: catalogue.timezone, results };
    },
  });

  app.get('/kpi/opening-balance', {
    preHandler: d.sessions.require('kpi'),
    schema: { tags: ['kpi'], summary: 'Doses given before go-live, per dose and age group, that cumulative KPIs start from: the latest upload, else the city pack’s' },
    handler: async () => ({ openingBalance: await balances.current() }),
  });

  // the CSV body parser lives in a scope of its own, so it cannot clash with another route's
  void app.register(async (scope) => {
    const csvScope = scope as unknown as App;
    csvScope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    openingBalanceUpload(csvScope);
  });

  function openingBalanceUpload(app: App) {
    app.put('/kpi/opening-balance', {
      preHandler: d.sessions.require('sources'),
      schema: {
        tags: ['kpi'],
        summary: 'Replace the opening balance (admin; audit-logged): JSON {asOf, basis, doses: [{doseNumber, ageGroup, doses}]}, or a CSV file (text/csv; columns doseNumber/Mũi, ageGroup/Nhóm tuổi, doses/Số mũi; `,` or `;`) with ?asOf=&basis=',
        querystring: z.strictObject({ asOf: z.string().optional(), basis: z.string().optional() }),
      },
      handler: async (request, reply) => {
        const csv = typeof request.body === 'string';
        let candidate: unknown = request.body;
        if (csv) {
          try {
            candidate = { asOf: request.query.asOf, basis: request.query.basis, doses: dosesFromCsv(request.body as string) };
          } catch (e) {
            const message = `not a readable CSV: ${e instanceof Error ? e.message : String(e)}`;
            return problem(reply, 400, 'Invalid request', `body: ${message}`, [{ field: 'body', message }]);
          }
        }
        const parsed = openingBody.safeParse(candidate);
        if (!parsed.success) {
          // an unknown key is named by the key itself (`body.zzz`), not by its parent (`body.`)
          const pathOf = (i: (typeof parsed.error.issues)[number]) => [...i.path, ...(i.code === 'unrecognized_keys' ? i.keys.slice(0, 1) : [])];
          const errors = parsed.error.issues.map((i) => ({ field: [csv && i.path[0] !== 'doses' ? 'querystring' : 'body', ...pathOf(i)].join('.'), message: i.message }));
          return problem(reply, 400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
        }
        const seen = new Set<string>();
        for (const [i, r] of parsed.data.doses.entries()) {
          const key = `${r.doseNumber}/${r.ageGroup}`;
          if (seen.has(key)) return problem(reply, 400, 'Invalid request', `body.doses.${i}: dose ${r.doseNumber}, ages ${r.ageGroup} given twice`, [{ field: `body.doses.${i}`, message: 'given twice' }]);
          seen.add(key);
        }
        await d.audit.record({ actor: request.user.sub, action: 'kpi-opening-balance', target: 'opening-balance', detail: { asOf: parsed.data.asOf, rows: parsed.data.doses.length, total: parsed.data.doses.reduce((a, r) => a + r.doses, 0) }, ip: request.ip });
        const saved = await balances.replace(parsed.data, request.user.sub);
        return reply.code(200).send({ openingBalance: saved });
      },
    });
  }
}
