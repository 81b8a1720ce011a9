import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import type { Places } from '../places.ts';
import { rangeOr400 } from '../state/routes.ts';
import { rangeQuery } from '../state/time-range.ts';
import { kpiById, kpiDefinitions } from './definitions.ts';
import { kpiEvaluate, kpiSeries } from './engine.ts';
import { reportPeriodIds, reportPeriods } from './report-periods.ts';

const kpiId = z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and - only').max(64);
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone' });

export const cityPopulation = (places: Places) => places.wards.reduce((a, w) => a + w.population, 0);

export function kpiRoutes(app: App, d: { store: ClickHouseClient; sessions: Sessions; places: Places }): void {
  const population = cityPopulation(d.places);

  app.get('/kpi', {
    preHandler: d.sessions.require('kpi'),
    schema: { tags: ['kpi'], summary: 'The KPIs: name, unit, target, direction, period and the SQL that computes each' },
    handler: async () => ({ kpis: kpiDefinitions, reportPeriods }),
  });

  app.get('/kpi/:id/series', {
    preHandler: d.sessions.require('kpi'),
    schema: { tags: ['kpi'], summary: 'A KPI over time', params: z.strictObject({ id: kpiId }), querystring: z.strictObject(rangeQuery) },
    handler: async (request, reply) => {
      const def = kpiById.get(request.params.id);
      if (!def) return problem(reply, 404, 'No such KPI', `no KPI "${request.params.id}"`, [{ field: 'params.id', message: 'unknown KPI' }]);
      const range = rangeOr400(reply, request.query);
      if (!range) return reply;
      return { kpi: def.id, unit: def.unit, target: def.target, direction: def.direction, from: range.fromIso, to: range.toIso, step: range.step, points: await kpiSeries(d.store, def, range, population) };
    },
  });

  app.get('/kpi/evaluation', {
    preHandler: d.sessions.require('kpi'),
    schema: {
      tags: ['kpi'],
      summary: 'Actual vs target for a period: one of the plan’s report periods, or from/to',
      querystring: z
        .strictObject({ report: z.enum(reportPeriodIds).optional(), from: instant.optional(), to: instant.optional(), kpi: kpiId.optional() })
        .refine((q) => (q.report ? !q.from && !q.to : !!(q.from && q.to)), { message: 'give either report or both from and to', path: ['report'] }),
    },
    handler: async (request, reply) => {
      const q = request.query;
      const period = q.report ? reportPeriods.find((p) => p.id === q.report)! : { id: null, from: q.from!, to: q.to! };
      const from = new Date(period.from);
      const to = new Date(period.to);
      if (from >= to) return problem(reply, 400, 'Invalid request', 'querystring.from: must be before to', [{ field: 'querystring.from', message: 'must be before to' }]);
      const defs = q.kpi ? [kpiById.get(q.kpi)].filter((k) => !!k) : kpiDefinitions;
      if (!defs.length) return problem(reply, 404, 'No such KPI', `no KPI "${q.kpi}"`, [{ field: 'querystring.kpi', message: 'unknown KPI' }]);
      const results = (await Promise.all(defs.map((def) => kpiEvaluate(d.store, def, from, to, population)))).flat();
      return { report: period.id, from: from.toISOString(), to: to.toISOString(), results };
    },
  });
}
