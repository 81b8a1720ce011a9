/**
 * Cells of department reports, read explicitly (never z.coerce, which turns "" into 0):
 * an empty cell is missing; numbers are Vietnamese (`1.234,5`: dot groups thousands, comma
 * marks decimals) or plain (`1234.5`), and one a comma may group (`95,000`, `1,234.5`, as an
 * English-language file writes them) is refused as ambiguous; dates are `dd/mm/yyyy` or `dd/mm/yyyy HH:mm[:ss]`
 * in Asia/Ho_Chi_Minh (UTC+7 all year: Vietnam has had no daylight saving since 1975), an
 * ISO 8601 instant, or an XLSX date cell.
 */
export type Cell = string | number | boolean | Date | null | undefined;
export type CellResult<T> = { ok: true; value: T | undefined } | { ok: false; reason: string };

const missing = { ok: true, value: undefined } as const;
const text = (c: Cell) => (typeof c === 'string' ? c.replace(/\u00a0/g, ' ').trim() : c);

export function isEmptyCell(c: Cell): boolean {
  const t = text(c);
  return t === null || t === undefined || t === '';
}

/** no grouped number starts with 0: "0.125" is a plain decimal */
const vnGrouped = /^[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$/;
const vnDecimal = /^[+-]?\d+(?:,\d+)?$/;
const pointDecimal = /^[+-]?\d*\.\d+$/;
/** thousands grouped with commas, as an English-language spreadsheet writes them: "95,000", "1,234,567", "1,234.5" */
const commaGrouped = /^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/;

/** đồng written around a price: `95.000đ`, `95.000 VNĐ`, `₫95.000`, `95.000 đ/kg`, `95.000 dong` */
const currencyAfter = /(?:vnđ|vnd|đồng|dong|đ|₫)(?:\/\p{L}+)?$/iu;

/**
 * `commaMayGroup`: whether a comma may be an English-language thousands separator here (an
 * amount); in a percentage it cannot ("12,345%" is twelve and a bit), so it reads as decimals.
 */
export function parseNumberCell(c: Cell, commaMayGroup = true): CellResult<number> {
  if (isEmptyCell(c)) return missing;
  if (typeof c === 'number') return Number.isFinite(c) ? { ok: true, value: c } : { ok: false, reason: 'not a finite number' };
  if (typeof c !== 'string') return { ok: false, reason: 'expected a number' };
  const s = String(text(c)).normalize('NFC').replace(/[\s\u202f]/g, '').replace(/^₫/, '').replace(currencyAfter, '');
  if (s.endsWith('%')) return { ok: false, reason: 'a percentage (or a cell formatted as one); this column holds a plain number' };
  // "1.234" is one thousand two hundred thirty-four in a Vietnamese report, never 1.234
  if (vnGrouped.test(s)) return { ok: true, value: Number(s.replace(/\./g, '').replace(',', '.')) };
  // "95,000" is 95 by the Vietnamese rule and 95000 in an English-language file: a price read a
  // thousand times too low is worse than a row sent again, so it is refused, saying both ways
  if (commaMayGroup && commaGrouped.test(s)) {
    const vi = (n: number) => n.toLocaleString('vi-VN', { maximumFractionDigits: 20 });
    const english = Number(s.replace(/,/g, ''));
    const written = `write ${vi(english)} (or ${english})`;
    return { ok: false, reason: vnDecimal.test(s) ? `ambiguous: a decimal comma reads it as ${vi(Number(s.replace(',', '.')))}, an English-language file means ${english}; ${written}, or ${vi(Number(s.replace(',', '.')))}` : `an English-language number: ${written}` };
  }
  if (vnDecimal.test(s)) return { ok: true, value: Number(s.replace(',', '.')) };
  if (pointDecimal.test(s)) return { ok: true, value: Number(s) };
  return { ok: false, reason: 'not a number (write 1.234,5 or 1234,5)' };
}

/**
 * A percentage: `52,5`, `52.5`, `52,5%` (as Excel writes a percent cell into a CSV), or a
 * percent-formatted XLSX cell, which the reader hands over as such text (Excel stores 52.5%
 * as 0.525) → 52.5.
 */
export function parsePercentCell(c: Cell): CellResult<number> {
  if (typeof c === 'string') {
    const t = String(text(c)).replace(/[\s\u202f]/g, '');
    if (t.endsWith('%')) return t === '%' ? { ok: false, reason: 'not a number' } : parseNumberCell(t.slice(0, -1), false);
  }
  return parseNumberCell(c, false);
}

/** a percent-formatted XLSX cell's number (0.525) as the text it shows (`52,5%`): no float noise, the decimal comma */
export function percentText(fraction: number): string {
  return `${String(Number((fraction * 100).toPrecision(15))).replace('.', ',')}%`;
}

export function parseIntegerCell(c: Cell): CellResult<number> {
  const n = parseNumberCell(c);
  if (!n.ok || n.value === undefined) return n;
  return Number.isInteger(n.value) ? n : { ok: false, reason: 'must be a whole number' };
}

export function parseTextCell(c: Cell): CellResult<string> {
  if (isEmptyCell(c)) return missing;
  if (c instanceof Date) return { ok: false, reason: 'expected text, got a date' };
  return { ok: true, value: String(text(c)) };
}

const yes = new Set(['có', 'co', 'x', 'yes', 'true', '1', 'đúng', 'dung', 'y']);
const no = new Set(['không', 'khong', 'no', 'false', '0', 'sai', 'n']);

export function parseBooleanCell(c: Cell): CellResult<boolean> {
  if (isEmptyCell(c)) return missing;
  if (typeof c === 'boolean') return { ok: true, value: c };
  const s = String(text(c)).toLowerCase().normalize('NFC');
  if (yes.has(s)) return { ok: true, value: true };
  if (no.has(s)) return { ok: true, value: false };
  return { ok: false, reason: 'write có or không' };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** wall-clock parts in Vietnam → ISO 8601 with +07:00, or undefined for an impossible date */
function vietnamInstant(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): string | undefined {
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}+07:00`;
}

const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/;
const ymd = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const isoWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
/** Excel's day 0 is 1899-12-30 (it counts 1900 as a leap year) */
const excelEpochMs = Date.UTC(1899, 11, 30);

export function parseDateCell(c: Cell): CellResult<string> {
  if (isEmptyCell(c)) return missing;
  if (c instanceof Date) {
    // XLSX dates carry no zone: read-excel-file gives the wall clock as UTC parts
    if (Number.isNaN(c.getTime())) return { ok: false, reason: 'not a date' };
    // a serial day fraction comes back as 16:59:59.999 for 17:00: round to the second
    const r = new Date(Math.round(c.getTime() / 1000) * 1000);
    return { ok: true, value: vietnamInstant(r.getUTCFullYear(), r.getUTCMonth() + 1, r.getUTCDate(), r.getUTCHours(), r.getUTCMinutes(), r.getUTCSeconds())! };
  }
  if (typeof c === 'number') {
    if (c < 1 || c > 2_958_465) return { ok: false, reason: 'not a date (write dd/mm/yyyy)' };
    const d = new Date(excelEpochMs + Math.round(c * 86_400_000));
    return parseDateCell(d);
  }
  const s = String(text(c));
  let m = dmy.exec(s);
  if (m) {
    const v = vietnamInstant(Number(m[3]), Number(m[2]), Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
    return v ? { ok: true, value: v } : { ok: false, reason: 'no such date or time' };
  }
  if (isoWithZone.test(s)) return Number.isNaN(Date.parse(s)) ? { ok: false, reason: 'no such date or time' } : { ok: true, value: s };
  m = ymd.exec(s);
  if (m) {
    const v = vietnamInstant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
    return v ? { ok: true, value: v } : { ok: false, reason: 'no such date or time' };
  }
  return { ok: false, reason: 'not a date (write dd/mm/yyyy or dd/mm/yyyy HH:mm)' };
}

const monthYear = /^(?:tháng\s*)?(\d{1,2})\s*[/.-]\s*(\d{4})$/i;
const yearMonthText = /^(\d{4})-(\d{1,2})$/;

/**
 * A month: `08/2022`, `8/2022`, `tháng 8/2022`, `2022-08`, or a date cell (Excel turns a typed
 * `2022-08` into 1 August 2022) → `YYYY-MM`.
 */
export function parseMonthCell(c: Cell): CellResult<string> {
  if (isEmptyCell(c)) return missing;
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? { ok: false, reason: 'not a month' } : { ok: true, value: `${pad(c.getUTCFullYear(), 4)}-${pad(c.getUTCMonth() + 1)}` };
  const s = String(text(c));
  const m = monthYear.exec(s) ?? yearMonthText.exec(s);
  if (!m) return { ok: false, reason: 'not a month (write 08/2022)' };
  const [year, month] = monthYear.test(s) ? [Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2])];
  return month >= 1 && month <= 12 ? { ok: true, value: `${pad(year, 4)}-${pad(month)}` } : { ok: false, reason: 'no such month' };
}
