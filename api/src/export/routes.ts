import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { dataStreams, streamTables } from '@haidang/stream';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import { kpiParams, kpiSeries, kpiSource, kpiSql, judge } from '../kpi/engine.ts';
import type { KpiDeps } from '../kpi/routes.ts';
import type { Places } from '../places.ts';
import { rangeOr400 } from '../state/routes.ts';
import { rangeQuery, steps } from '../state/time-range.ts';
import { envelopeExportColumns, streamExportColumns, streamLabel, type ExportColumn } from './columns.ts';
import { csvDialects, type CsvDialect } from './dialect.ts';
import { contentTypes, csvOf, exportFileName, exportFormats, parquetOf, selectStream, TooManyRowsError, xlsxOf, type ExportFormat, type ExportReader, type ExportTable } from './formats.ts';
import { seriesLabel } from './labels.ts';

const format = z.enum(exportFormats).default('csv');
/** the reader: language of headers and words; CSV dialect (default: excel-vi for Vietnamese, rfc4180 otherwise) */
const readerQuery = { lang: z.enum(['vi', 'en']).default('vi'), dialect: z.enum(csvDialects).optional() };

/** names of the places reports come from, for the "reporting unit" column */
function entityNames(places: Places, lang: 'vi' | 'en'): Map<string, string> {
  return new Map<string, string>([
    ...places.wards.map((w) => [w.code, w.name] as const),
    ...places.facilities.map((f) => [f.id, f.name] as const),
    ...places.markets.map((m) => [m.id, m.name] as const),
    ...places.agencies.map((a) => [a.id, a.name[lang]] as const),
  ]);
}

export function exportRoutes(app: App, d: { store: ClickHouseClient; sessions: Sessions; audit: AuditLog; kpi: KpiDeps; places: Places }): void {
  const { catalogue, balances } = d.kpi;
  const readerOf = (q: { lang: 'vi' | 'en'; dialect?: CsvDialect | undefined }): ExportReader => ({
    lang: q.lang,
    dialect: q.dialect ?? (q.lang === 'vi' ? 'excel-vi' : 'rfc4180'),
    tz: catalogue.timezone,
    city: catalogue.city.name[q.lang],
  });

  app.get('/export/raw/:stream', {
    preHandler: d.sessions.require('export'),
    schema: {
      tags: ['export'],
      summary: 'Raw history of a stream (every report, corrections included) as CSV (dialect excel-vi: `;`, decimal comma, dd/mm/yyyy HH:mm local, BOM — default for lang=vi; or rfc4180: `,`, ISO 8601 UTC), XLSX (header block, typed cells, headers with units in the user’s language) or Parquet; default: the last 7 days',
      params: z.strictObject({ stream: z.enum(dataStreams) }),
      querystring: z.strictObject({ from: rangeQuery.from, to: rangeQuery.to, format, ...readerQuery }),
    },
    handler: async (request, reply) => {
      const range = rangeOr400(reply, { ...request.query, step: '1M' });
      if (!range) return reply;
      const s = request.params.stream;
      const what = `${s}-raw`;
      const params = { from: range.from, to: range.to };
      const where = `FROM ${s}_raw WHERE observed_at >= {from:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')} ORDER BY observed_at, entity`;
      const reader = readerOf(request.query);
      return sendExport(request, reply, {
        what,
        format: request.query.format,
        fromIso: range.fromIso,
        toIso: range.toIso,
        parquet: () => parquetOf(d.store, `SELECT * EXCEPT (log_partition, log_offset) /* log positions are the transport's business */ ${where}`, params),
        table: () => {
          const names = entityNames(d.places, reader.lang);
          const payload = streamTables[s].columns.map(([c]) => c);
          const rows = selectStream(d.store, `SELECT observed_at, entity, source, received_at, toString(id) AS id, version, ${payload.join(', ')} ${where}`, params);
          return {
            title: `${reader.lang === 'vi' ? 'Dữ liệu gốc' : 'Raw reports'}: ${streamLabel[s][reader.lang]}`,
            columns: [...envelopeExportColumns, ...streamExportColumns[s]],
            rows: (async function* () {
              for await (const r of rows) yield { ...r, entity_name: names.get(r.entity as string) ?? '' };
            })(),
            from: new Date(range.fromIso),
            to: new Date(range.toIso),
            sources: 'fromRows',
          };
        },
        reader,
      });
    },
  });

  app.get('/export/kpi/:id', {
    preHandler: d.sessions.require('export'),
    schema: {
      tags: ['export'],
      summary: 'A KPI series with its target (buckets on the city’s local clock) as CSV (excel-vi or rfc4180), XLSX or Parquet',
      params: z.strictObject({ id: z.string().regex(/^[a-z0-9-]+$/).max(64) }),
      querystring: z.strictObject({ ...rangeQuery, format, ...readerQuery }),
    },
    handler: async (request, reply) => {
      const def = catalogue.byId.get(request.params.id);
      if (!def) return problem(reply, 404, 'No such KPI', `no KPI "${request.params.id}"`, [{ field: 'params.id', message: 'unknown KPI' }]);
      const range = rangeOr400(reply, request.query);
      if (!range) return reply;
      const reader = readerOf(request.query);
      const balance = def.cumulative ? await balances.current() : null;
      const machine = reader.dialect === 'rfc4180' && request.query.format === 'csv';
      const valueKind = def.unit === 'ratio' ? 'ratio' : 'integer';
      const unit = def.unit === 'doses' ? { vi: 'mũi', en: 'doses' } : undefined;
      const columns: ExportColumn[] = [
        { key: 'bucket_start', name: { vi: 'Kỳ (bắt đầu)', en: 'Period start' }, kind: steps[range.step].ms >= 86_400_000 ? 'date' : 'instant' },
        { key: 'kpi', name: { vi: 'Chỉ tiêu', en: 'KPI' }, kind: 'text' },
        { key: 'series', name: { vi: 'Phạm vi', en: 'Scope' }, kind: 'text' },
        { key: 'value', name: { vi: 'Giá trị', en: 'Value' }, kind: valueKind, ...(unit ? { unit } : {}) },
        { key: 'target', name: { vi: 'Mục tiêu', en: 'Target' }, kind: valueKind, ...(unit ? { unit } : {}) },
        { key: 'direction', name: { vi: 'Yêu cầu', en: 'Requirement' }, kind: 'text' },
        { key: 'met', name: { vi: 'Kết quả', en: 'Result' }, kind: machine ? 'boolean' : 'met' },
      ];
      const requirement = machine ? def.direction : def.direction === 'max' ? (reader.lang === 'vi' ? 'Không vượt quá' : 'At most') : reader.lang === 'vi' ? 'Tối thiểu' : 'At least';
      return sendExport(request, reply, {
        what: `kpi-${def.id}-${range.step}`,
        format: request.query.format,
        fromIso: range.fromIso,
        toIso: range.toIso,
        parquet: () => {
          const judged = def.direction === 'max' ? 'value <= {target:Nullable(Float64)}' : 'value >= {target:Nullable(Float64)}';
          const query = `SELECT t AS bucket_start, {kpi:String} AS kpi, series, value, {unit:String} AS unit, {target:Nullable(Float64)} AS target, {direction:String} AS direction,
              if(value IS NULL OR {target:Nullable(Float64)} IS NULL, NULL, toBool(${judged})) AS met
            FROM (${kpiSql(def, { step: range.step }, kpiSource(def, range, catalogue.timezone))})`;
          return parquetOf(d.store, query, { ...kpiParams(catalogue, def, range.from, range.to, balance), kpi: def.id, unit: def.unit, target: def.target, direction: def.direction });
        },
        table: () => ({
          title: `${reader.lang === 'vi' ? 'Chỉ tiêu' : 'KPI'}: ${def.name[reader.lang]}`,
          columns,
          rows: (async function* () {
            for (const p of await kpiSeries(d.store, catalogue, def, range, balance)) {
              yield { bucket_start: p.t, kpi: machine ? def.id : def.name[reader.lang], series: machine ? p.series : seriesLabel(p.series, reader.lang), value: p.value, target: def.target, direction: requirement, met: judge(def, p.value) };
            }
          })(),
          from: new Date(range.fromIso),
          to: new Date(range.toIso),
          sources: [`Hải Đăng: ${streamLabel[def.stream][reader.lang]}`],
        }),
        reader,
      });
    },
  });

  /** audit first (an export that cannot be audited does not happen), then stream the file */
  async function sendExport(request: FastifyRequest, reply: FastifyReply, e: { what: string; format: ExportFormat; fromIso: string; toIso: string; parquet: () => Promise<NodeJS.ReadableStream>; table: () => ExportTable; reader: ExportReader }) {
    const filename = exportFileName(e.what, e.fromIso, e.toIso, e.format);
    let body: NodeJS.ReadableStream | Buffer;
    try {
      body = e.format === 'parquet' ? await e.parquet() : e.format === 'csv' ? csvOf(e.table(), e.reader) : await xlsxOf(e.table(), e.what, e.reader);
    } catch (err) {
      if (err instanceof TooManyRowsError) return problem(reply, 413, 'Too many rows for XLSX', err.message, [{ field: 'querystring.format', message: err.message }]);
      throw err;
    }
    await d.audit.record({ actor: request.user.sub, action: 'export', target: e.what, detail: { format: e.format, dialect: e.format === 'csv' ? e.reader.dialect : undefined, lang: e.reader.lang, from: e.fromIso, to: e.toIso, filename }, ip: request.ip });
    return reply.header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').type(contentTypes[e.format]).send(body);
  }
}
