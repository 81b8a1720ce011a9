import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorOf, type DataStreamName, type Logger } from '@haidang/stream';
import type { EventPublisher } from '../push/event-publisher.ts';
import { IngestError } from '../push/ingest-error.ts';
import type { SourceKey } from '../sources/source-keys.ts';
import { parseUpload, type ParseLimits } from './parse-job.ts';
import type { SkippedRow } from './report-layout.ts';
import type { Commodity } from '../sources/commodity-names.ts';
import type { RowError } from './row-mapper.ts';
import { openForm } from './upload-form.ts';

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
  // well under the api's connectionTimeout (120 s): a workbook's 422 must reach the client
  xlsxTimeoutMs: 60_000,
  workerHeapMb: 512,
};

export interface UploadReport {
  stream: DataStreamName;
  file: string;
  strict: boolean;
  /** how a CSV was decoded: `windows-1258 (not valid UTF-8)`, `utf-16le (byte order mark)`, … */
  encoding?: string;
  /** for an XLSX: the sheet read (the one the workbook opens on, or the first visible one), and the others, not read */
  sheet?: string;
  otherSheets?: string[];
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
  /**
   * strict only, when it could not hold: the check found no conflict, but while the rows were
   * being stored another writer stored some of the same ids with other content. The store
   * then holds exactly `accepted` rows of this file; the conflicting rows are in `errors`;
   * `notStored` rows (the chunks after the conflict, and the file's repeats) were not sent.
   */
  strictNotHeld?: { notStored: number; detail: string };
}

type Event = { id: string; entity: string; observedAt: string };

/** seconds an uploader is told to wait when the store or the log did not answer (as the api's outages) */
const outageRetryAfterSeconds = 5;

/**
 * A failure after rows were read → the same error, saying how many rows were stored before
 * it (also as `accepted` in the problem), so the sender knows what the store holds: every
 * publish started has settled by then (parse-job waits for it). A store or log that did not
 * answer becomes HD_INGEST_NOT_STORED (503, Retry-After) saying the same, and that the
 * whole file may be sent again once they answer.
 */
function withCount(e: unknown, report: UploadReport, rowsRead: boolean): unknown {
  const stored = `${report.accepted} rows before it were accepted (stored${report.duplicates ? `, ${report.duplicates} of them already` : ''})`;
  if (!(e instanceof IngestError)) {
    if (!errorOf(e).retryable) return e;
    const told = report.accepted ? `${stored}; rows after them may or may not have been stored` : 'rows of the file may or may not have been stored';
    return new IngestError('HD_INGEST_NOT_STORED', `the store or the log did not answer while the file was being stored: ${told}. Send the whole file again once they answer: rows already stored are not stored twice`, { accepted: report.accepted, retryAfterSeconds: outageRetryAfterSeconds });
  }
  if (typeof e.context.accepted === 'number') return e;
  // a file refused before its header row was found (not a workbook, no header) needs no count
  if (!rowsRead) return e;
  const told = report.accepted ? `; ${stored}, the rest of the file was not: fix it and send the whole file again (rows already stored are not stored twice)` : '; nothing was stored';
  return new IngestError(e.code, `${e.message}${told}`, { ...e.context, accepted: report.accepted });
}

/**
 * A department's report file → events: CSV streamed row by row, XLSX checked then read
 * whole, both parsed in a worker. Good rows are published in chunks as they come (or, with
 * strict, all at the end and only if no row was refused — an id the store holds with other
 * content included); every refused row is reported with its row, column, value and reason.
 * A file that fails part way (broken, too many rows, too slow, a form cut short) is answered
 * only once every publish started has settled, with the number of rows stored before it.
 */
export async function handleUpload(request: FastifyRequest, reply: FastifyReply, d: { stream: DataStreamName; key: SourceKey; keyStillValid: () => Promise<unknown>; publisher: EventPublisher; commodities: readonly Commodity[]; limits: UploadLimits; logger: Logger; strict: boolean }): Promise<UploadReport> {
  const { limits } = d;
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limits.maxFileBytes + 64 * 1024) throw new IngestError('HD_INGEST_TOO_LARGE', `a file may have at most ${limits.maxFileBytes} bytes`);
  if (!request.isMultipart()) throw new IngestError('HD_INGEST_UNSUPPORTED', 'send the file as multipart/form-data (field "file")');
  const form = await openForm(request, limits);
  const { file, name } = form;
  const kind = /\.xlsx$/i.test(name) || file.mimetype === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' ? 'xlsx' : /\.(csv|txt)$/i.test(name) || /csv|text\/plain/.test(file.mimetype) ? 'csv' : undefined;
  if (!kind) {
    file.file.resume();
    throw new IngestError('HD_INGEST_UNSUPPORTED', `"${name}": send a .csv or .xlsx file`);
  }
  const report: UploadReport = { stream: d.stream, file: name, strict: d.strict, headerRow: 0, rows: 0, accepted: 0, duplicates: 0, refused: 0, ignoredColumns: [], errors: [], errorsTruncated: false, skipped: [], skippedTruncated: false };
  const held: Event[] = [];
  const heldRows: number[] = [];
  const heldOwn: boolean[] = [];
  let heldRepeats = 0;
  let idColumn = 'Mã báo cáo';
  let headerSeen = false;
  const log = d.logger.child({ upload: name, stream: d.stream, source: d.key.source });
  const t0 = Date.now();
  let lastLog = 0;
  const refuse = (e: RowError) => {
    report.refused++;
    if (report.errors.length < limits.maxReportedErrors) report.errors.push(e);
    else report.errorsTruncated = true;
  };
  const conflictReason = (id: string) => `id ${id} is already stored with other content (entity, time, source or numbers); a correction needs a new id`;
  /**
   * publishes events in chunks; `rows` and `own` are each event's spreadsheet row and whether
   * the file chose its id. Strict: stops after a chunk in which a conflict appeared (another
   * writer stored one of the ids with other content since the check) and says so; false then.
   */
  const publish = async (events: Event[], rows: number[], own: boolean[], strict = false): Promise<boolean> => {
    for (let i = 0; i < events.length; i += limits.batchRows) {
      // an upload lasts minutes: the key is checked again before each chunk, so a key revoked meanwhile stops it there
      await d.keyStillValid().catch((e: unknown) => {
        if (!(e instanceof IngestError)) throw e;
        throw new IngestError(e.code, `${e.message}: the key was revoked during the upload; ${report.accepted} rows sent before that were accepted, the rest of the file was not`, { accepted: report.accepted });
      });
      const chunk = events.slice(i, i + limits.batchRows);
      const chose = chunk.filter((_, j) => own[i + j]);
      const r = await d.publisher.publish(d.stream, chunk, new Set(chose.map((e) => e.id.toLowerCase())));
      // an id the file chose may have been stored by another request at the same instant, with other content (as the push route checks)
      const chosen = chose.filter((e) => !r.conflicts.has(e.id.toLowerCase()) && !r.duplicates.has(e.id.toLowerCase()));
      const lost = await d.publisher.lostToConflicts(d.stream, chosen);
      report.accepted += r.published - lost.size + r.duplicates.size;
      report.duplicates += r.duplicates.size;
      // a row whose id (the file's own id column) is stored with other content: refused, not stored, named by its row
      chunk.forEach((e, j) => {
        const id = e.id.toLowerCase();
        if (r.conflicts.has(id) || lost.has(id)) refuse({ row: rows[i + j]!, column: idColumn, value: e.id, reason: conflictReason(e.id) });
      });
      const conflicted = r.conflicts.size + lost.size;
      if (strict && conflicted) {
        const notSent = events.length - i - chunk.length;
        report.strictNotHeld = {
          notStored: notSent + heldRepeats,
          detail: `strict could not hold: after the check, another upload or push stored ${conflicted} of this file's ids with other content while its rows were being stored; ${report.accepted} rows of this file were stored (accepted), ${conflicted} refused (errors), and the other ${notSent + heldRepeats} were not sent. Rows already stored are not stored twice: once the conflicting rows have new ids, send the whole file again`,
        };
        log.warn({ accepted: report.accepted, conflicted, notSent }, 'strict upload: conflict during the store');
        return false;
      }
    }
    return true;
  };
  let parsed: Awaited<ReturnType<typeof parseUpload>>;
  try {
    parsed = await parseUpload(
      file.file,
      { kind, stream: d.stream, source: d.key.source, receivedAt: new Date().toISOString(), allowed: d.key.entities, commodities: [...d.commodities], maxRows: limits.maxRows, maxColumns: limits.maxColumns, maxXlsxEntries: limits.maxXlsxEntries, maxXlsxInflatedBytes: limits.maxXlsxInflatedBytes, batchRows: limits.batchRows, ...(form.encoding ? { encoding: form.encoding } : {}) },
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
        if (d.strict) {
          held.push(...batch.events);
          heldRows.push(...batch.eventRows);
          heldOwn.push(...batch.ownIds);
          heldRepeats += batch.repeats;
        } else {
          // a row identical to an earlier one of the file is a duplicate: accepted, stored once
          report.accepted += batch.repeats;
          report.duplicates += batch.repeats;
          await publish(batch.events, batch.eventRows, batch.ownIds);
        }
        if (Date.now() - lastLog > 2_000) {
          lastLog = Date.now();
          log.info({ rows: report.rows, accepted: report.accepted, refused: report.refused, ms: Date.now() - t0 }, 'upload progress');
        }
      },
      (header) => {
        idColumn = header.idColumn;
        headerSeen = true;
      },
    );
    const { rows, header } = parsed;
    report.rows = rows;
    report.ignoredColumns = header?.ignored ?? [];
    report.headerRow = header?.row ?? 0;
    if (header?.encoding) report.encoding = header.encoding;
    if (header?.sheet) {
      report.sheet = header.sheet.name;
      report.otherSheets = header.sheet.others;
    }
    if (rows === 0) throw new IngestError('HD_INGEST_EMPTY', `the file has a header row (row ${report.headerRow}) but no data rows${report.skipped.length ? ` (${report.skipped.length} rows skipped: titles, totals or notes)` : ''}`);
    // one file per upload: a second one is named, not silently dropped
    const second = await form.secondFile();
    if (second !== undefined) {
      // the first file was read whole (and, without strict, its good rows stored): the message says so, not "the rest was not"
      const first = d.strict ? 'nothing was stored (strict)' : report.accepted ? `it was read whole and ${report.accepted} of its rows were accepted (stored${report.duplicates ? `, ${report.duplicates} of them already` : ''})${report.refused ? `, ${report.refused} refused` : ''}` : 'it was read whole and nothing was stored';
      throw new IngestError('HD_INGEST_BAD_REQUEST', `the form holds a second file ("${second.slice(0, 100)}"), which was not read: send one file per upload; as for the first file ("${name.slice(0, 100)}"), ${first}`, { errors: [{ field: 'file', message: `one file per upload; "${second.slice(0, 100)}" is a second` }], accepted: report.accepted });
    }
    if (d.strict && report.refused === 0) {
      // nothing is stored unless every row is good: a row whose id the store holds with other content is found before any is stored.
      // The file's own ids are claimed first, so no other push or upload of this api stores one of them with other content between the check and the store.
      const own = held.filter((_, j) => heldOwn[j]);
      const { conflicts, claimed } = d.publisher.claim(d.stream, own);
      for (let i = 0; i < held.length; i += limits.batchRows) for (const id of (await d.publisher.held(d.stream, held.slice(i, i + limits.batchRows))).conflicts) conflicts.add(id);
      held.forEach((e, j) => {
        if (conflicts.has(e.id.toLowerCase())) refuse({ row: heldRows[j]!, column: idColumn, value: e.id, reason: conflictReason(e.id) });
      });
      // refused: nothing of the file is published, and a corrected file may carry other content under the same ids
      if (report.refused) d.publisher.release(d.stream, claimed);
      else if (await publish(held, heldRows, heldOwn, true)) {
        report.accepted += heldRepeats;
        report.duplicates += heldRepeats;
      }
    }
  } catch (e) {
    throw withCount(e, report, headerSeen);
  }
  report.errors.sort((a, b) => a.row - b.row);
  log.info({ rows: report.rows, skipped: report.skipped.length, encoding: report.encoding, accepted: report.accepted, duplicates: report.duplicates, refused: report.refused, ms: Date.now() - t0 }, 'upload done');
  reply.code(report.refused === 0 ? 202 : report.accepted === 0 ? 422 : 207);
  return report;
}
