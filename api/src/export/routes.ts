import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { dataStreams } from '@haidang/stream';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import { kpiById } from '../kpi/definitions.ts';
import { kpiParams, kpiSql } from '../kpi/engine.ts';
import { cityPopulation } from '../kpi/routes.ts';
import type { Places } from '../places.ts';
import { rangeOr400 } from '../state/routes.ts';
import { rangeQuery } from '../state/time-range.ts';
import { contentTypes, exportFileName, exportFormats, exportQuery, TooManyRowsError, type ExportFormat } from './formats.ts';

const format = z.enum(exportFormats).default('csv');


export function exportRoutes(app: App, d: { store: ClickHouseClient; sessions: Sessions; audit: AuditLog; places: Places }): void {
  app.get('/export/raw/:stream', {
    preHandler: d.sessions.require('export'),
    schema: {
      tags: ['export'],
      summary: 'Raw history of a stream (every report, corrections included) as CSV, XLSX or Parquet; default: the last 7 days',
      params: z.strictObject({ stream: z.enum(dataStreams) }),
      querystring: z.strictObject({ from: rangeQuery.from, to: rangeQuery.to, format }),
    },
    handler: async (request, reply) => {
      const range = rangeOr400(reply, { ...request.query, step: '1M' });
      if (!range) return reply;
      const s = request.params.stream;
      const what = `${s}-raw`;
      const query = `SELECT * EXCEPT (log_partition, log_offset) /* log positions are the transport's business */ FROM ${s}_raw WHERE observed_at >= {from:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')} ORDER BY observed_at, entity`;
      return sendExport(request, reply, { what, query, params: { from: range.from, to: range.to }, fromIso: range.fromIso, toIso: range.toIso, format: request.query.format });
    },
  });

  app.get('/export/kpi/:id', {
    preHandler: d.sessions.require('export'),
    schema: {
      tags: ['export'],
      summary: 'A KPI series with its target as CSV, XLSX or Parquet',
      params: z.strictObject({ id: z.string().regex(/^[a-z0-9-]+$/).max(64) }),
      querystring: z.strictObject({ ...rangeQuery, format }),
    },
    handler: async (request, reply) => {
      const def = kpiById.get(request.params.id);
      if (!def) return problem(reply, 404, 'No such KPI', `no KPI "${request.params.id}"`, [{ field: 'params.id', message: 'unknown KPI' }]);
      const range = rangeOr400(reply, request.query);
      if (!range) return reply;
      const judged = def.direction === 'max' ? 'value <= {target:Nullable(Float64)}' : 'value >= {target:Nullable(Float64)}';
      const query = `SELECT t AS bucket_start_utc, {kpi:String} AS kpi, series, value, {unit:String} AS unit, {target:Nullable(Float64)} AS target, {direction:String} AS direction,
          if(value IS NULL OR {target:Nullable(Float64)} IS NULL, NULL, toBool(${judged})) AS met
        FROM (${kpiSql(def, { step: range.step })})`;
      const params = { ...kpiParams(range.from, range.to, cityPopulation(d.places)), kpi: def.id, unit: def.unit, target: def.target, direction: def.direction };
      return sendExport(request, reply, { what: `kpi-${def.id}-${range.step}`, query, params, fromIso: range.fromIso, toIso: range.toIso, format: request.query.format });
    },
  });

  /** audit first (an export that cannot be audited does not happen), then stream the file */
  async function sendExport(request: FastifyRequest, reply: FastifyReply, e: { what: string; query: string; params: Record<string, unknown>; fromIso: string; toIso: string; format: ExportFormat }) {
    const filename = exportFileName(e.what, e.fromIso, e.toIso, e.format);
    let body;
    try {
      body = await exportQuery(d.store, e.format, e.query, e.params, e.what);
    } catch (err) {
      if (err instanceof TooManyRowsError) return problem(reply, 413, 'Too many rows for XLSX', err.message, [{ field: 'querystring.format', message: err.message }]);
      throw err;
    }
    await d.audit.record({ actor: request.user.sub, action: 'export', target: e.what, detail: { format: e.format, from: e.fromIso, to: e.toIso, filename }, ip: request.ip });
    return reply.header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').type(contentTypes[e.format]).send(body);
  }
}
