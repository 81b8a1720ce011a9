import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { stringify } from 'csv-stringify';
import writeXlsxFile from 'write-excel-file/node';
import { wallClock } from '../kpi/local-time.ts';
import { headerOf, type ExportColumn } from './columns.ts';
import { csvCell, metText, type CsvDialect } from './dialect.ts';

export const exportFormats = ['csv', 'xlsx', 'parquet'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
};

/**
 * An .xlsx is a zip written whole, so it is built in memory: capped well below Excel's
 * 1,048,576 rows. CSV and Parquet stream and have no cap.
 */
const xlsxMaxRows = 200_000;

/** numbers as JSON numbers (not quoted 64-bit strings) and times as ISO 8601 UTC */
const exportSettings = {
  output_format_json_quote_64bit_integers: 0,
  date_time_output_format: 'iso',
  output_format_parquet_string_as_string: 1,
} as const;

export class TooManyRowsError extends Error {}

/** what a table is, for the header block of a workbook: what, where, when, from which sources, as of when */
export interface ExportTable {
  title: string;
  columns: ExportColumn[];
  rows: AsyncIterable<Record<string, unknown>>;
  from: Date;
  to: Date;
  /** the sources named in the header block; `fromRows`: the distinct values of the rows' `source` column */
  sources: string[] | 'fromRows';
}

export interface ExportReader {
  lang: 'vi' | 'en';
  dialect: CsvDialect;
  /** the city's zone: every date and time a person reads is on its clock */
  tz: string;
  city: string;
  now?: Date;
}

/** rows of a header block above the column headers of every sheet we write (then one blank row) */
export const headerBlockRows = 5;

const words = {
  vi: { where: 'Địa bàn', from: 'Từ', until: 'Đến trước', clock: 'giờ địa phương', sources: 'Nguồn số liệu', asOf: 'Số liệu tính đến', none: 'không có báo cáo trong kỳ' },
  en: { where: 'Area', from: 'From', until: 'Until (excluded)', clock: 'local time', sources: 'Data sources', asOf: 'Data as of', none: 'no reports in the period' },
};

/** Excel number formats; Excel and LibreOffice show them with the reader's separators (vi-VN: 1.234,5) */
const cellFormat: Partial<Record<ExportColumn['kind'], string>> = { instant: 'dd/mm/yyyy hh:mm', date: 'dd/mm/yyyy', integer: '#,##0', money: '#,##0', number: '#,##0.0', ratio: '0.0%' };

/** a typed spreadsheet cell: dates as dates on the city's clock, numbers as numbers, text as plain text (no apostrophe: a typed text cell is never a formula) */
function xlsxCell(col: ExportColumn, v: unknown, lang: 'vi' | 'en', tz: string) {
  if (v === null || v === undefined || v === '') return null;
  switch (col.kind) {
    case 'instant':
    case 'date':
      return { value: wallClock(v as string, tz), type: Date, format: cellFormat[col.kind] };
    case 'integer':
    case 'money':
    case 'number':
    case 'ratio':
      return { value: Number(v), type: Number, format: cellFormat[col.kind] };
    case 'boolean':
      return { value: v ? (lang === 'vi' ? 'Có' : 'Yes') : lang === 'vi' ? 'Không' : 'No', type: String };
    case 'met':
      return { value: metText(v as boolean | null, lang), type: String };
    default:
      return { value: String(v), type: String };
  }
}

/** CSV in the chosen dialect, streamed row by row */
export function csvOf(table: ExportTable, reader: ExportReader): Readable {
  const vi = reader.dialect === 'excel-vi';
  const csv = stringify({
    delimiter: vi ? ';' : ',',
    bom: vi,
    record_delimiter: '\r\n',
    // a lone line feed or carriage return in a text value is quoted too (csv-stringify quotes only
    // the record delimiter itself): unquoted, it would start a new row whose first cell escapes nothing
    quoted_match: /[\r\n]/,
    header: true,
    columns: table.columns.map((c) => ({ key: c.key, header: vi ? headerOf(c, reader.lang, true) : c.key })),
  });
  const rows = Readable.from(
    (async function* () {
      for await (const r of table.rows) {
        const out: Record<string, string> = {};
        for (const c of table.columns) out[c.key] = csvCell(c, r[c.key], reader.dialect, reader.lang, reader.tz);
        yield out;
      }
    })(),
  );
  rows.on('error', (e) => csv.destroy(e));
  return rows.pipe(csv);
}

/** an XLSX of one sheet: the header block, the column headers (frozen), typed rows */
export async function xlsxOf(table: ExportTable, sheet: string, reader: ExportReader): Promise<Buffer> {
  const w = words[reader.lang];
  const body: unknown[][] = [];
  const sources = new Set<string>();
  for await (const r of table.rows) {
    if (body.length >= xlsxMaxRows) throw new TooManyRowsError(`more than ${xlsxMaxRows} rows: narrow the range or use csv or parquet`);
    if (table.sources === 'fromRows' && typeof r.source === 'string') sources.add(r.source);
    body.push(table.columns.map((c) => xlsxCell(c, r[c.key], reader.lang, reader.tz)));
  }
  const named = table.sources === 'fromRows' ? [...sources].sort() : table.sources;
  const label = (s: string) => ({ value: s, type: String, fontWeight: 'bold' as const });
  const when = (d: Date) => ({ value: wallClock(d, reader.tz), type: Date, format: 'dd/mm/yyyy hh:mm' });
  const block = [
    [{ value: table.title, type: String, fontWeight: 'bold' as const, columnSpan: Math.max(4, table.columns.length) }],
    [label(w.where), { value: reader.city, type: String }],
    [label(w.from), when(table.from), label(w.until), when(table.to), { value: `${w.clock} (${reader.tz})`, type: String }],
    [label(w.sources), { value: named.length ? named.join('; ') : w.none, type: String }],
    [label(w.asOf), when(reader.now ?? new Date())],
    [null],
  ];
  const header = table.columns.map((c) => label(headerOf(c, reader.lang)));
  return writeXlsxFile([...block, header, ...body] as never, {
    sheet: sheet.replace(/[:\\/?*[\]]/g, '-').slice(0, 31),
    stickyRowsCount: block.length + 1,
    columns: table.columns.map((c) => ({ width: c.kind === 'instant' ? 17 : c.kind === 'text' ? 24 : Math.min(40, Math.max(12, headerOf(c, reader.lang).length * 0.9)) })),
  }).toBuffer();
}

/** rows of one SELECT, as objects, streamed (64-bit integers as numbers, times as ISO 8601 UTC) */
export async function* selectStream(client: ClickHouseClient, query: string, params: Record<string, unknown>): AsyncIterable<Record<string, unknown>> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: exportSettings });
  let n = 0;
  for await (const batch of rs.stream<Record<string, unknown>>() as AsyncIterable<Array<{ json(): Record<string, unknown> }>>) {
    for (const row of batch) {
      yield row.json();
      // an embedded store hands the whole result over at once: every 1,000 rows the event loop
      // gets a turn, so pushes, screens and health checks are answered while a big export is written
      if (++n % 1000 === 0) await new Promise((r) => setImmediate(r));
    }
  }
}

/** Parquet written by the store (`FORMAT Parquet`), its bytes passed on as they come; typed columns are not spreadsheet cells */
export async function parquetOf(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<Readable> {
  const r = await client.exec({ query: `${query} FORMAT Parquet`, query_params: params, clickhouse_settings: exportSettings });
  return r.stream as Readable;
}

/** `haidang-capacity-raw_2022-08-01T0000Z_2022-08-15T0000Z_generated-2025-11-25T1400Z.csv`: what, which range, when made */
export function exportFileName(what: string, fromIso: string, toIso: string, format: ExportFormat, now = new Date()): string {
  const stamp = (iso: string) => `${iso.slice(0, 16).replace(/:/g, '')}Z`;
  return `haidang-${what}_${stamp(fromIso)}_${stamp(toIso)}_generated-${stamp(now.toISOString())}.${format}`;
}

