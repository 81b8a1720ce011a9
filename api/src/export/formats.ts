import { PassThrough, Readable, Transform } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { stringify } from 'csv-stringify';
import writeXlsxFile from 'write-excel-file/node';
import { escapeRow } from './cell-escape.ts';

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
export const xlsxMaxRows = 200_000;

/** numbers as JSON numbers (not quoted 64-bit strings) and times as ISO 8601 UTC */
const exportSettings = {
  output_format_json_quote_64bit_integers: 0,
  date_time_output_format: 'iso',
  output_format_parquet_string_as_string: 1,
} as const;

export class TooManyRowsError extends Error {}

/**
 * One SELECT's result in a format. CSV: rows stream from the store as JSON, each text cell
 * escaped, through csv-stringify. Parquet: the store writes it (`FORMAT Parquet`) and its
 * bytes are passed on as they come; typed columns are not spreadsheet cells, so nothing is
 * escaped there. XLSX: rows collected up to the cap, then written by write-excel-file.
 *
 * write-excel-file rather than exceljs or SheetJS: it is a writer only (no parser to
 * attack), maintained, with one dependency (fflate); exceljs's last release is from 2023
 * and the npm `xlsx` build is frozen with known CVEs (reference B7).
 */
export async function exportQuery(client: ClickHouseClient, format: ExportFormat, query: string, params: Record<string, unknown>, sheetName: string): Promise<Readable> {
  if (format === 'parquet') {
    const r = await client.exec({ query: `${query} FORMAT Parquet`, query_params: params, clickhouse_settings: exportSettings });
    return r.stream as Readable;
  }
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: exportSettings });
  const rows = rs.stream<Record<string, unknown>>();
  if (format === 'csv') {
    const toObjects = new Transform({
      objectMode: true,
      transform(batch: Array<{ json(): Record<string, unknown> }>, _enc, done) {
        for (const row of batch) this.push(escapeRow(row.json()));
        done();
      },
    });
    const csv = stringify({ header: true, bom: true, cast: { boolean: (b) => (b ? 'true' : 'false'), object: (o) => JSON.stringify(o) } });
    const out = new PassThrough();
    rows.on('error', (e) => out.destroy(e));
    toObjects.on('error', (e) => out.destroy(e));
    csv.on('error', (e) => out.destroy(e));
    rows.pipe(toObjects).pipe(csv).pipe(out);
    return out;
  }
  const collected: Record<string, unknown>[] = [];
  for await (const batch of rows as AsyncIterable<Array<{ json(): Record<string, unknown> }>>) {
    for (const row of batch) {
      if (collected.length >= xlsxMaxRows) throw new TooManyRowsError(`more than ${xlsxMaxRows} rows: narrow the range or use csv or parquet`);
      collected.push(escapeRow(row.json()));
    }
  }
  return xlsxOf(collected, sheetName);
}

async function xlsxOf(rows: Record<string, unknown>[], sheetName: string): Promise<Readable> {
  const columns = rows.length ? Object.keys(rows[0]!) : ['(no rows)'];
  const header = columns.map((c) => ({ value: c, fontWeight: 'bold' as const }));
  const body = rows.map((r) =>
    columns.map((c) => {
      const v = r[c];
      if (v === null || v === undefined) return null;
      if (typeof v === 'number') return { value: v, type: Number };
      if (typeof v === 'boolean') return { value: v, type: Boolean };
      return { value: typeof v === 'string' ? v : JSON.stringify(v), type: String };
    }),
  );
  const buffer = await writeXlsxFile([header, ...body], { sheet: sheetName.slice(0, 31) }).toBuffer();
  return Readable.from([buffer]);
}

/** `haidang-capacity-raw_2022-08-01T0000Z_2022-08-15T0000Z_generated-2025-11-25T1400Z.csv`: what, which range, when made */
export function exportFileName(what: string, fromIso: string, toIso: string, format: ExportFormat, now = new Date()): string {
  const stamp = (iso: string) => iso.slice(0, 16).replace(/:/g, '') + 'Z';
  return `haidang-${what}_${stamp(fromIso)}_${stamp(toIso)}_generated-${stamp(now.toISOString())}.${format}`;
}
