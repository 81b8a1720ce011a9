import { parentPort, workerData } from 'node:worker_threads';
import { parse, type Parser } from 'csv-parse';
import { readSheet } from 'read-excel-file/node';
import type { IngestErrorCode } from '../push/ingest-error.ts';
import type { Cell } from './cell-parse.ts';
import { matchHeaders, type HeaderMatch } from './columns.ts';
import type { FromWorker, ParseJobData, ToWorker } from './parse-messages.ts';
import { mapRow, type RowError } from './row-mapper.ts';
import { guardXlsx, XlsxRefused } from './xlsx-guard.ts';

/**
 * Runs in a worker thread: an uploaded file is hostile until read, so the CSV/XLSX parsing,
 * the zip checks and the row mapping run here, under the worker's heap cap and the route's
 * timeout, and the main thread only publishes what comes back in batches.
 */
const job = workerData as ParseJobData;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

class Refused extends Error {
  constructor(
    readonly code: IngestErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const ctx = { stream: job.stream, source: job.source, receivedAt: job.receivedAt, allowed: new Set(job.allowed), commodities: job.commodities };
let match: HeaderMatch | undefined;
let rowNumber = 1;
let dataRows = 0;
let events: Array<{ id: string; entity: string; observedAt: string }> = [];
let errors: RowError[] = [];
let refusedRows = 0;

function flush(): void {
  if (!events.length && !errors.length && !refusedRows) return;
  send({ type: 'batch', events, errors, rows: dataRows, refusedRows });
  events = [];
  errors = [];
  refusedRows = 0;
}

function onRecord(cells: Cell[]): void {
  if (cells.length > job.maxColumns) throw new Refused('HD_INGEST_TOO_LARGE', `row ${rowNumber + (match ? 1 : 0)} has ${cells.length} columns > ${job.maxColumns}`);
  if (!match) {
    const header = cells.map((c) => (c === null || c === undefined ? '' : String(c)));
    match = matchHeaders(job.stream, header);
    if (match.missing.length) throw new Refused('HD_INGEST_BAD_FILE', `missing columns: ${match.missing.join(', ')} (see GET /ingest/v1/${job.stream}/template.csv)`);
    if (match.duplicated.length) throw new Refused('HD_INGEST_BAD_FILE', `columns given twice: ${match.duplicated.join(', ')}`);
    send({ type: 'header', columns: header, ignored: match.ignored });
    return;
  }
  rowNumber++;
  const r = mapRow(cells, rowNumber, match, ctx);
  if (!r) return;
  dataRows++;
  if (dataRows > job.maxRows) throw new Refused('HD_INGEST_TOO_LARGE', `more than ${job.maxRows} rows`);
  if (r.ok) events.push(r.event as { id: string; entity: string; observedAt: string });
  else {
    refusedRows++;
    errors.push(...r.errors);
  }
  if (events.length + refusedRows >= job.batchRows) flush();
}

function finish(): void {
  if (!match) throw new Refused('HD_INGEST_EMPTY', 'the file is empty: a header row and at least one data row are expected');
  flush();
  send({ type: 'done', rows: dataRows });
}

function fail(e: unknown): void {
  if (e instanceof Refused) send({ type: 'fail', code: e.code, message: e.message });
  else if (e instanceof XlsxRefused) send({ type: 'fail', code: /inflate|entries/.test(e.message) ? 'HD_INGEST_TOO_LARGE' : 'HD_INGEST_BAD_FILE', message: e.message });
  else send({ type: 'fail', code: 'HD_INGEST_BAD_FILE', message: (e as Error).message.slice(0, 300) });
}

/** the delimiter Excel used: Vietnamese locales often save CSV with ";" */
function sniffDelimiter(first: Buffer): string {
  const line = first.toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, line.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![0];
}

function runCsv(): void {
  let parser: Parser | undefined;
  let failed = false;
  const start = (first: Buffer) => {
    parser = parse({ bom: true, delimiter: sniffDelimiter(first), relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 64 * 1024 });
    parser.on('readable', () => {
      let rec: string[] | null;
      try {
        while (!failed && (rec = parser!.read() as string[] | null) !== null) onRecord(rec);
      } catch (e) {
        failed = true;
        fail(e);
      }
    });
    parser.on('error', (e) => {
      if (!failed) fail(new Refused('HD_INGEST_BAD_FILE', `CSV: ${e.message}`));
      failed = true;
    });
    parser.on('end', () => {
      if (failed) return;
      try {
        finish();
      } catch (e) {
        fail(e);
      }
    });
  };
  port.on('message', (m: ToWorker) => {
    if (failed) return;
    if (m.type === 'chunk') {
      const b = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
      if (!parser) start(b);
      parser!.write(b);
    } else if (m.type === 'end') {
      if (!parser) return fail(new Refused('HD_INGEST_EMPTY', 'the file is empty: a header row and at least one data row are expected'));
      parser.end();
    }
  });
}

function runXlsx(): void {
  port.on('message', (m: ToWorker) => {
    if (m.type !== 'file') return;
    void (async () => {
      try {
        const zip = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
        if (!zip.length) throw new Refused('HD_INGEST_EMPTY', 'the file is empty');
        guardXlsx(zip, { maxEntries: job.maxXlsxEntries, maxInflatedBytes: job.maxXlsxInflatedBytes });
        const rows = await readSheet(zip);
        if (rows.length > job.maxRows + 1) throw new Refused('HD_INGEST_TOO_LARGE', `more than ${job.maxRows} rows`);
        for (const r of rows) onRecord(r as Cell[]);
        finish();
      } catch (e) {
        fail(e);
      }
    })();
  });
}

if (job.kind === 'csv') runCsv();
else runXlsx();
