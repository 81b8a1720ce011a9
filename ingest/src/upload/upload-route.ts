import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataStreamName, Logger } from '@haidang/stream';
import type { EventPublisher } from '../push/event-publisher.ts';
import { IngestError } from '../push/ingest-error.ts';
import type { SourceKey } from '../sources/source-keys.ts';
import { parseUpload, type ParseLimits } from './parse-job.ts';
import type { SkippedRow } from './report-layout.ts';
import type { Commodity, RowError } from './row-mapper.ts';
import { encodingNamed, encodings, type Encoding } from './text-encoding.ts';

export interface UploadLimits extends ParseLimits {
  maxFileBytes: number;
  maxRows: number;
  maxColumns: number;
  maxXlsxEntries: number;
  maxXlsxInflatedBytes: number;
  /** rows per published chunk */
  batchRows: number;
  /** row errors listed in the answer (all are counted) */
  maxReportedErrors: number;
}

export const defaultUploadLimits: UploadLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxXlsxBytes: 16 * 1024 * 1024,
  maxXlsxInflatedBytes: 160 * 1024 * 1024,
  maxXlsxEntries: 500,
  maxRows: 500_000,
  maxColumns: 64,
  batchRows: 5_000,
  maxReportedErrors: 1_000,
  timeoutMs: 10 * 60_000,
  workerHeapMb: 512,
};

export interface UploadReport {
  stream: DataStreamName;
  file: string;
  strict: boolean;
  /** how a CSV was decoded: `windows-1258 (not valid UTF-8)`, `utf-16le (byte order mark)`, … */
  encoding?: string;
  /** the spreadsheet's row number of the header (below any title rows) */
  headerRow: number;
  /** data rows read (skipped rows not counted) */
  rows: number;
  accepted: number;
  duplicates: number;
  refused: number;
  ignoredColumns: string[];
  errors: RowError[];
  errorsTruncated: boolean;
  /** rows that are no report — titles above the header, totals, notes — each with why */
  skipped: SkippedRow[];
  skippedTruncated: boolean;
}

/** the multipart field `encoding`, when it came before the file */
function askedEncoding(fields: Record<string, unknown>): Encoding | undefined {
  const f = fields.encoding as { type?: string; value?: unknown } | Array<unknown> | undefined;
  if (f === undefined) return undefined;
  const value = Array.isArray(f) ? undefined : f.type === 'field' && typeof f.value === 'string' ? f.value : undefined;
  const named = value === undefined ? undefined : encodingNamed(value);
  if (!named) throw new IngestError('HD_INGEST_UNSUPPORTED', `encoding: "${String(value ?? '').slice(0, 40)}" is not one this reads (${encodings.join(', ')}); or leave it out and let the file tell`, { errors: [{ field: 'encoding', message: `one of ${encodings.join(', ')}` }] });
  return named;
}

/**
 * A department's report file → events: CSV streamed row by row, XLSX checked then read
 * whole, both parsed in a worker. Good rows are published in chunks as they come (or, with
 * strict, all at the end and only if no row was refused); every refused row is reported
 * with its row, column, value and reason.
 */
export async function handleUpload(request: FastifyRequest, reply: FastifyReply, d: { stream: DataStreamName; key: SourceKey; keyStillValid: () => Promise<unknown>; publisher: EventPublisher; commodities: readonly Commodity[]; limits: UploadLimits; logger: Logger; strict: boolean }): Promise<UploadReport> {
  const { limits } = d;
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limits.maxFileBytes + 64 * 1024) throw new IngestError('HD_INGEST_TOO_LARGE', `a file may have at most ${limits.maxFileBytes} bytes`);
  if (!request.isMultipart()) throw new IngestError('HD_INGEST_UNSUPPORTED', 'send the file as multipart/form-data (field "file")');
  const file = await request.file({ limits: { fileSize: limits.maxFileBytes, files: 1, fields: 5, parts: 6, headerPairs: 200 } });
  if (!file) throw new IngestError('HD_INGEST_EMPTY', 'no file in the form');
  const name = file.filename || 'upload';
  let asked: Encoding | undefined;
  try {
    asked = askedEncoding(file.fields as Record<string, unknown>);
  } catch (e) {
    file.file.resume();
    throw e;
  }
  const kind = /\.xlsx$/i.test(name) || file.mimetype === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' ? 'xlsx' : /\.(csv|txt)$/i.test(name) || /csv|text\/plain/.test(file.mimetype) ? 'csv' : undefined;
  if (!kind) {
    file.file.resume();
    throw new IngestError('HD_INGEST_UNSUPPORTED', `"${name}": send a .csv or .xlsx file`);
  }
  const report: UploadReport = { stream: d.stream, file: name, strict: d.strict, headerRow: 0, rows: 0, accepted: 0, duplicates: 0, refused: 0, ignoredColumns: [], errors: [], errorsTruncated: false, skipped: [], skippedTruncated: false };
  const held: Array<{ id: string; entity: string; observedAt: string }> = [];
  const log = d.logger.child({ upload: name, stream: d.stream, source: d.key.source });
  const t0 = Date.now();
  let lastLog = 0;
  const publish = async (events: Array<{ id: string; entity: string; observedAt: string }>) => {
    for (let i = 0; i < events.length; i += limits.batchRows) {
      // an upload lasts minutes: the key is checked again before each chunk, so a key revoked meanwhile stops it there
      await d.keyStillValid().catch((e: unknown) => {
        if (!(e instanceof IngestError)) throw e;
        throw new IngestError(e.code, `${e.message}: the key was revoked during the upload; ${report.accepted} rows sent before that were accepted, the rest of the file was not`, { accepted: report.accepted });
      });
      const r = await d.publisher.publish(d.stream, events.slice(i, i + limits.batchRows));
      report.accepted += r.published + r.duplicates.size;
      report.duplicates += r.duplicates.size;
      // a row whose id (the file's own id column) is stored with other content: refused, not stored
      report.refused += r.conflicts.size;
      for (const id of r.conflicts) {
        if (report.errors.length < limits.maxReportedErrors) report.errors.push({ row: 0, column: 'id', value: id, reason: 'this id is already stored with other content; a correction needs a new id' });
        else report.errorsTruncated = true;
      }
    }
  };
  const { rows, header } = await parseUpload(
    file.file,
    { kind, stream: d.stream, source: d.key.source, receivedAt: new Date().toISOString(), allowed: d.key.entities, commodities: [...d.commodities], maxRows: limits.maxRows, maxColumns: limits.maxColumns, maxXlsxEntries: limits.maxXlsxEntries, maxXlsxInflatedBytes: limits.maxXlsxInflatedBytes, batchRows: limits.batchRows, ...(asked ? { encoding: asked } : {}) },
    limits,
    async (batch) => {
      report.rows = batch.rows;
      report.refused += batch.refusedRows;
      for (const e of batch.errors) {
        if (report.errors.length < limits.maxReportedErrors) report.errors.push(e);
        else report.errorsTruncated = true;
      }
      for (const k of batch.skipped) {
        if (report.skipped.length < limits.maxReportedErrors) report.skipped.push(k);
        else report.skippedTruncated = true;
      }
      if (d.strict) held.push(...batch.events);
      else await publish(batch.events);
      if (Date.now() - lastLog > 2_000) {
        lastLog = Date.now();
        log.info({ rows: report.rows, accepted: report.accepted, refused: report.refused, ms: Date.now() - t0 }, 'upload progress');
      }
    },
  );
  report.rows = rows;
  report.ignoredColumns = header?.ignored ?? [];
  report.headerRow = header?.row ?? 0;
  if (header?.encoding) report.encoding = header.encoding;
  if (rows === 0) throw new IngestError('HD_INGEST_EMPTY', `the file has a header row (row ${report.headerRow}) but no data rows${report.skipped.length ? ` (${report.skipped.length} rows skipped: titles, totals or notes)` : ''}`);
  if (d.strict && report.refused === 0) await publish(held);
  log.info({ rows, skipped: report.skipped.length, encoding: report.encoding, accepted: report.accepted, duplicates: report.duplicates, refused: report.refused, ms: Date.now() - t0 }, 'upload done');
  reply.code(report.refused === 0 ? 202 : report.accepted === 0 ? 422 : 207);
  return report;
}
