import { escapeCell } from './cell-escape.ts';
import type { ExportColumn } from './columns.ts';
import { localParts } from '../kpi/local-time.ts';

/**
 * CSV dialects. `excel-vi`: what Excel and LibreOffice in a Vietnamese locale open as columns
 * without an import dialog — UTF-8 with BOM, `;` between fields (the vi-VN list separator),
 * decimal comma, dates dd/mm/yyyy HH:mm on the city's clock, percentages as numbers with (%)
 * in the header, Có/Không, headers in the user's language with units. `rfc4180`: for programs —
 * `,`, decimal point, ISO 8601 UTC times, ratios as fractions, true/false, machine headers.
 * Both escape text cells that a spreadsheet would run as a formula.
 */
export const csvDialects = ['excel-vi', 'rfc4180'] as const;
export type CsvDialect = (typeof csvDialects)[number];

const pad = (n: number) => String(n).padStart(2, '0');

const viDateText = (d: Date | string, tz: string) => {
  const l = localParts(d, tz);
  return `${pad(l.day)}/${pad(l.month)}/${l.year}`;
};
const viDateTimeText = (d: Date | string, tz: string) => {
  const l = localParts(d, tz);
  return `${pad(l.day)}/${pad(l.month)}/${l.year} ${pad(l.hour)}:${pad(l.minute)}`;
};

/** a number with a decimal comma and no thousands separator (a `.` would read as one in vi-VN) */
const viDecimal = (n: number, digits?: number) => (digits === undefined ? String(n) : n.toFixed(digits).replace(/\.?0+$/, '')).replace('.', ',');

export function csvCell(col: ExportColumn, v: unknown, dialect: CsvDialect, lang: 'vi' | 'en', tz: string): string {
  if (v === null || v === undefined || v === '') return '';
  if (dialect === 'rfc4180') {
    if (col.kind === 'instant' || col.kind === 'date') return new Date(v as string).toISOString();
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return String(escapeCell(String(v)));
  }
  switch (col.kind) {
    case 'instant':
      return viDateTimeText(v as string, tz);
    case 'date':
      return viDateText(v as string, tz);
    case 'ratio':
      return viDecimal(Number(v) * 100, 2);
    case 'number':
      return viDecimal(Number(v));
    case 'integer':
    case 'money':
      return String(Math.round(Number(v)));
    case 'boolean':
      return v ? (lang === 'vi' ? 'Có' : 'Yes') : lang === 'vi' ? 'Không' : 'No';
    case 'met':
      return metText(v as boolean | null, lang);
    default:
      return String(escapeCell(String(v)));
  }
}

export const metText = (met: boolean | null, lang: 'vi' | 'en') => (met === null ? (lang === 'vi' ? 'Không đánh giá' : 'Not judged') : met ? (lang === 'vi' ? 'Đạt' : 'Met') : lang === 'vi' ? 'Không đạt' : 'Not met');
