import type { ClickHouseClient } from '@clickhouse/client';
import { allDescriptors, chTime, type StreamDescriptor, type StreamName } from '@haidang/stream';
import { selectRows } from '../state/store-query.ts';
import type { ReportPeriod } from './report-data.ts';
import { viCount, viDecimal, viShare } from './vi-format.ts';

export type ReportCell = string | number | boolean | null;
export type ReportColumn = NonNullable<StreamDescriptor['reportTables']>[number]['columns'][number];

/** a stream's own table in the evaluation report (the disbursement of each project, …), read over the period */
export interface ReportTable {
  stream: StreamName;
  title: { vi: string; en: string };
  columns: readonly ReportColumn[];
  rows: ReportCell[][];
}

/** a value as the store's JSON gives it (64-bit integers as strings, Bool as true/false or 1/0) → the column's kind */
function cellOf(format: ReportColumn['format'], v: unknown): ReportCell {
  if (v === null || v === undefined) return null;
  if (format === 'text') return String(v);
  if (format === 'yesNo') return v === true || v === 1 || v === '1' || v === 'true';
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** every table the streams' descriptors give the report, each one SELECT over [from, to) ({from}, {to}, {tz}) */
export async function readReportTables(store: ClickHouseClient, period: ReportPeriod, tz: string): Promise<ReportTable[]> {
  const out: ReportTable[] = [];
  for (const d of allDescriptors) {
    for (const t of d.reportTables ?? []) {
      const rows = await selectRows<Record<string, unknown>>(store, t.sql, { from: chTime(period.from), to: chTime(period.to), tz }, { streams: [d.name as StreamName] });
      out.push({ stream: d.name as StreamName, title: t.title, columns: t.columns, rows: rows.map((r) => t.columns.map((c) => cellOf(c.format, r[c.name]))) });
    }
  }
  return out;
}

/** a cell as the Vietnamese report writes it */
export function viCell(format: ReportColumn['format'], v: ReportCell): string {
  if (v === null) return '—';
  switch (format) {
    case 'text':
      return String(v);
    case 'yesNo':
      return v ? 'Có' : 'Không';
    case 'ratio':
      return viShare(Number(v));
    case 'percent':
      return `${viDecimal(Number(v))}%`;
    case 'vnd':
      // the unit a finance office reads plans in: million đồng
      return viDecimal(Number(v) / 1_000_000);
    default:
      return viCount(Number(v));
  }
}

/** Excel number formats of the column kinds (Excel shows the reader's separators) */
export const xlsxFormat: Record<ReportColumn['format'], string | null> = { text: null, yesNo: null, integer: '#,##0', vnd: '#,##0', ratio: '0.0%', percent: '0.0' };
