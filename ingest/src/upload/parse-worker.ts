import { parentPort, workerData } from 'node:worker_threads';
import { parse, type Parser } from 'csv-parse';
import { readSheet } from 'read-excel-file/node';
import type { IngestErrorCode } from '../push/ingest-error.ts';
import { isEmptyCell, percentText, type Cell } from './cell-parse.ts';
import type { HeaderMatch } from './columns.ts';
import { FileIds } from './file-ids.ts';
import type { FromWorker, ParseJobData, ReadSheet, ToWorker } from './parse-messages.ts';
import { HeaderFinder, maxTitleRows, rowText, skipReason, type SkippedRow } from './report-layout.ts';
import { mapRow, type MappedRow, type RowError } from './row-mapper.ts';
import { chooseEncoding, sniffBytes, textDecoder, type TextDecoding } from './text-encoding.ts';
import { guardXlsx, XlsxRefused } from './xlsx-guard.ts';
import { percentCells, percentStyles } from './xlsx-percent-cells.ts';
import { chooseSheet, maxStylesBytes } from './xlsx-sheet-choice.ts';
import { boundedPart } from './xlsx-xml.ts';

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
const headers = new HeaderFinder(job.stream);
let match: HeaderMatch | undefined;
/** the spreadsheet's own number of the row being read: every line or sheet row counts, empty ones too */
let rowNumber = 0;
let dataRows = 0;
let events: Array<{ id: string; entity: string; observedAt: string }> = [];
let eventRows: number[] = [];
let ownIds: boolean[] = [];
let repeats = 0;
const fileIds = new FileIds();
/** the column of the file's own report ids (`Mã báo cáo`), when it has one */
let idIndex: number | undefined;
let idColumn = 'Mã báo cáo';
/** for an XLSX: the sheet read */
let sheetRead: ReadSheet | undefined;
let errors: RowError[] = [];
let skipped: SkippedRow[] = [];
let titles: SkippedRow[] = [];
let refusedRows = 0;
/** how a CSV was decoded (for the report), when it is known */
let decodedAs: string | undefined;

function flush(): void {
  if (!events.length && !errors.length && !refusedRows && !skipped.length && !repeats) return;
  send({ type: 'batch', events, eventRows, ownIds, errors, skipped, rows: dataRows, refusedRows, repeats });
  events = [];
  eventRows = [];
  ownIds = [];
  repeats = 0;
  errors = [];
  skipped = [];
  refusedRows = 0;
}

/** why no header was found, and for a CSV how it was decoded: a wrong encoding hides every header */
const noHeader = (rowsSeen: number) => headers.failure(rowsSeen) + (decodedAs ? `; the file was read as ${decodedAs}: if that is wrong, name its encoding in the form field encoding` : '');

/** why a cell with bytes the decoder could not read is refused, and what to do */
const unreadable = (how: string) => `bytes that are not ${how.split(' ')[0]}: the file was read as ${how}${how.startsWith('utf-8') ? '; if it is Windows-1258, send the form field encoding=windows-1258' : '; name its encoding in the form field encoding'}`;

/** `garbled`: the cells that held bytes the decoder could not read (U+FFFD), by index */
function onRecord(cells: Cell[], garbled?: readonly number[]): void {
  rowNumber++;
  if (cells.length > job.maxColumns) throw new Refused('HD_INGEST_TOO_LARGE', `row ${rowNumber} has ${cells.length} columns > ${job.maxColumns}`);
  if (!match) {
    // the header is within the first rows, empty ones included
    if (rowNumber > maxTitleRows) throw new Refused('HD_INGEST_BAD_FILE', noHeader(rowNumber));
    if (cells.every(isEmptyCell)) return;
    const found = headers.offer(cells, rowNumber);
    if (!found.found) {
      titles.push({ row: rowNumber, reason: 'title above the header row', text: rowText(cells) });
      return;
    }
    match = found.match;
    if (match.duplicated.length) throw new Refused('HD_INGEST_BAD_FILE', `columns given twice in the header (row ${rowNumber}): ${match.duplicated.join(', ')}`);
    for (const [i, spec] of match.byIndex) if (spec.field === 'id') idIndex = i;
    idColumn = match.headerOf.get('id') ?? idColumn;
    send({ type: 'header', row: rowNumber, columns: cells.map((c) => String(c ?? '')), ignored: match.ignored, idColumn, ...(decodedAs ? { encoding: decodedAs } : {}), ...(sheetRead ? { sheet: sheetRead } : {}) });
    skipped = titles;
    titles = [];
    return;
  }
  if (cells.every(isEmptyCell)) return;
  const why = skipReason(cells, match, ctx.allowed);
  if (why) {
    skipped.push({ row: rowNumber, reason: why, text: rowText(cells) });
    return;
  }
  dataRows++;
  if (dataRows > job.maxRows) throw new Refused('HD_INGEST_TOO_LARGE', `more than ${job.maxRows} rows`);
  const unread = garbled?.find((i) => match!.byIndex.has(i));
  const r: MappedRow | null =
    unread !== undefined
      ? { ok: false, errors: [{ row: rowNumber, column: match.headerOf.get(match.byIndex.get(unread)!.field)!, value: String(cells[unread]).slice(0, 200), reason: unreadable(decodedAs ?? 'utf-8') }] }
      : mapRow(cells, rowNumber, match, ctx);
  if (!r) return;
  if (r.ok) {
    const event = r.event as { id: string; entity: string; observedAt: string };
    const before = fileIds.see(event, rowNumber);
    if (before.kind === 'first') {
      events.push(event);
      eventRows.push(rowNumber);
      ownIds.push(idIndex !== undefined && !isEmptyCell(cells[idIndex]));
    } else if (before.kind === 'same') repeats++;
    else {
      refusedRows++;
      errors.push({ row: rowNumber, column: idColumn, value: event.id, reason: `id ${event.id} came earlier in this file (row ${before.row}) with other content; a correction needs a new id` });
    }
  } else {
    refusedRows++;
    errors.push(...r.errors);
  }
  if (events.length + refusedRows + repeats >= job.batchRows) flush();
}

function finish(): void {
  if (!match) {
    if (!titles.length) throw new Refused('HD_INGEST_EMPTY', 'the file is empty: a header row and at least one data row are expected');
    throw new Refused('HD_INGEST_BAD_FILE', noHeader(rowNumber));
  }
  flush();
  send({ type: 'done', rows: dataRows });
}

function fail(e: unknown): void {
  if (e instanceof Refused) send({ type: 'fail', code: e.code, message: e.message });
  else if (e instanceof XlsxRefused) send({ type: 'fail', code: e.code, message: e.message });
  else send({ type: 'fail', code: 'HD_INGEST_BAD_FILE', message: (e as Error).message.slice(0, 300) });
}

/** the delimiter Excel used: Vietnamese locales often save CSV with ";", "Unicode Text" with tabs */
function sniffDelimiter(text: string): string {
  const lines = text.split(/\r?\n/, 10).join('\n');
  const counts = [',', ';', '\t'].map((d) => [d, lines.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![0];
}

const unusual = /[\u0300-\u036f\ufffd]/;

/**
 * One pass over a decoded record: NFC where a combining mark is (Windows-1258, and some Mac
 * software, write a toned vowel as a letter plus a mark), and the cells holding U+FFFD, which
 * the decoder puts for bytes it could not read.
 */
function onCsvRecord(cells: string[]): void {
  let garbled: number[] | undefined;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (!unusual.test(c)) continue;
    if (c.includes('\ufffd')) (garbled ??= []).push(i);
    cells[i] = c.normalize('NFC');
  }
  onRecord(cells, garbled);
}

function runCsv(): void {
  let parser: Parser | undefined;
  let decoder: TextDecoding | undefined;
  let failed = false;
  let head: Buffer[] = [];
  let headBytes = 0;
  const start = (bytes: Buffer, complete: boolean) => {
    // exactly the first 64 KiB decide, however the upload was cut into chunks
    const chosen = chooseEncoding(bytes.subarray(0, sniffBytes), complete && bytes.length <= sniffBytes, job.encoding);
    decodedAs = `${chosen.encoding} (${chosen.how})`;
    decoder = textDecoder(chosen.encoding);
    const text = decoder.write(bytes);
    // empty lines are records too, so a row's number is the one the spreadsheet shows
    parser = parse({ delimiter: sniffDelimiter(text), relax_column_count: true, skip_empty_lines: false, trim: true, max_record_size: 64 * 1024 });
    parser.on('readable', () => {
      let rec: string[] | null;
      try {
        while (!failed && (rec = parser!.read() as string[] | null) !== null) onCsvRecord(rec);
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
    if (text) parser.write(text);
  };
  port.on('message', (m: ToWorker) => {
    if (failed) return;
    if (m.type === 'chunk') {
      const b = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
      if (parser) {
        const text = decoder!.write(b);
        if (text) parser.write(text);
        return;
      }
      // the encoding is chosen from the first 64 KiB (or the whole file, when smaller)
      head.push(b);
      headBytes += b.length;
      if (headBytes >= sniffBytes) {
        start(Buffer.concat(head), false);
        head = [];
      }
    } else if (m.type === 'end') {
      if (!parser && headBytes) start(Buffer.concat(head), true);
      if (!parser) return fail(new Refused('HD_INGEST_EMPTY', 'the file is empty: a header row and at least one data row are expected'));
      const rest = decoder!.end();
      if (rest) parser.write(rest);
      parser.end();
    }
  });
}

/**
 * An XLSX row as the CSV path would give it: text in NFC (as a CSV's is), and a number in a
 * percent-formatted cell as the percentage it shows (`52,5%` for 0.525), so a percent column
 * reads 52.5 and any other column refuses it instead of storing a value 100 times too small.
 */
function xlsxCells(cells: Cell[], row: number, percent: ReadonlySet<string>): Cell[] {
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (typeof c === 'string' && unusualText.test(c)) cells[i] = c.normalize('NFC');
    else if (typeof c === 'number' && percent.size && percent.has(`${row}:${i}`)) cells[i] = percentText(c);
  }
  return cells;
}

/** a character NFC may change: a combining mark (as Mac software and Windows-1258 write tone marks) */
const unusualText = /[\u0300-\u036f]/;

function runXlsx(): void {
  port.on('message', (m: ToWorker) => {
    if (m.type !== 'file') return;
    void (async () => {
      try {
        const zip = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
        if (!zip.length) throw new Refused('HD_INGEST_EMPTY', 'the file is empty');
        // the library reads the zip the guard rebuilt from the entries it checked, never the upload itself
        const checked = guardXlsx(zip, { maxEntries: job.maxXlsxEntries, maxInflatedBytes: job.maxXlsxInflatedBytes });
        const sheet = chooseSheet(checked.read, checked.size);
        sheetRead = { name: sheet.name, why: sheet.why, others: sheet.others };
        const styles = sheet.stylesPath ? boundedPart(checked.read, sheet.stylesPath, maxStylesBytes, checked.size) : undefined;
        const percentStyled = styles ? percentStyles(styles, sheet.stylesPath) : new Set<number>();
        const sheetXml = percentStyled.size && sheet.path ? checked.read(sheet.path) : undefined;
        const percent = sheetXml ? percentCells(sheetXml, percentStyled, sheet.path) : new Set<string>();
        // by its name, unique in the workbook (chooseSheet refuses two of one name): the library reads this sheet or none
        const rows = await readSheet(checked.zip, sheet.name);
        if (rows.length > job.maxRows + maxTitleRows) throw new Refused('HD_INGEST_TOO_LARGE', `more than ${job.maxRows} rows`);
        rows.forEach((r, i) => onRecord(xlsxCells(r as Cell[], i + 1, percent)));
        finish();
      } catch (e) {
        fail(e);
      }
    })();
  });
}

if (job.kind === 'csv') runCsv();
else runXlsx();
