import type { DataStreamName } from '@haidang/stream';
import { isEmptyCell, parseDateCell, parseNumberCell, parsePercentCell, type Cell } from './cell-parse.ts';
import { bareHeaderKey, matchHeaders, type HeaderMatch } from './columns.ts';

/**
 * How a Vietnamese office lays out a report around its table: title rows above the header
 * (the department, "BÁO CÁO …", the date, often merged across the sheet), then the header,
 * the rows, and below them a totals row ("Tổng cộng", "Cộng") and notes or signatures ("Ghi
 * chú: …", "Người lập biểu", "Giám đốc"). The header is found by matching the template's
 * headers; what is not a report row is skipped and listed, never refused as a bad row.
 */

/** how many rows may stand above the header */
export const maxTitleRows = 30;

export interface SkippedRow {
  row: number;
  reason: string;
  /** the row's first text, as written */
  text: string;
}

const cellText = (c: Cell): string => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString() : String(c).replace(/\s+/g, ' ').trim());

/** the row's non-empty cells, joined, shortened for the report */
export function rowText(cells: readonly Cell[]): string {
  return cells.map(cellText).filter(Boolean).join(' | ').slice(0, 120);
}

export type HeaderSearch = { found: true; match: HeaderMatch } | { found: false; closest?: { row: number; match: HeaderMatch } };

/**
 * Looks for the header among the first rows: the first row that names every required
 * column. Rows before it are titles. `closest` (most columns named) explains a failure.
 */
export class HeaderFinder {
  private closest: { row: number; match: HeaderMatch } | undefined;
  constructor(private readonly stream: DataStreamName) {}

  offer(cells: readonly Cell[], row: number): HeaderSearch {
    const header = cells.map((c) => (c === null || c === undefined ? '' : c instanceof Date ? '' : String(c)));
    const match = matchHeaders(this.stream, header);
    if (!match.missing.length) return { found: true, match };
    if (match.byIndex.size && (!this.closest || match.byIndex.size > this.closest.match.byIndex.size)) this.closest = { row, match };
    return { found: false, closest: this.closest };
  }

  /** why no header was found, with the template's names of what is missing */
  failure(rowsSeen: number): string {
    const where = rowsSeen > maxTitleRows ? `in the first ${maxTitleRows} rows` : 'in the file';
    if (!this.closest) return `no header row ${where}: none of the columns of the ${this.stream} template (see GET /ingest/v1/${this.stream}/template.csv)`;
    return `no header row ${where} with every required column: row ${this.closest.row} comes closest, with missing columns: ${this.closest.match.missing.join(', ')} (see GET /ingest/v1/${this.stream}/template.csv)`;
  }
}

// "Tổng cộng", "TỔNG SỐ", "Cộng", "Tổng", "Total" — as the first text of a row
const totalsLabel = /^(?:tong cong|tong so|tong|cong|total|totals|sum|grand total)(?=$|[\s:.(,-])/;
const entityShaped = /^[A-Za-z0-9_.-]+$/;

/**
 * A row below the header that is no report: its reason, or undefined for a data row.
 *  - totals: its first text is a totals label ("Tổng cộng", "Cộng", "Total");
 *  - note: it holds no entity id, no date and no number in a figure column ("Ghi chú: …",
 *    "Người lập biểu", a heading such as "I. Tầng 2").
 */
export function skipReason(cells: readonly Cell[], match: HeaderMatch, allowed: ReadonlySet<string>): string | undefined {
  let entityText = '';
  for (const [i, spec] of match.byIndex) if (spec.kind === 'entity') entityText = cellText(cells[i]);
  // the common case, a row of an entity the key reports for, costs one lookup
  if (allowed.has(entityText)) return undefined;
  const first = cells.map(cellText).find(Boolean) ?? '';
  if (totalsLabel.test(bareHeaderKey(first))) return `totals row ("${first.slice(0, 40)}"): a sum of the rows above, not a report`;
  if (entityText && entityShaped.test(entityText)) return undefined;
  for (const [i, spec] of match.byIndex) {
    const c = cells[i];
    if (isEmptyCell(c)) continue;
    if (spec.kind === 'date' && parseDateCell(c).ok) return undefined;
    if (spec.kind === 'integer' || spec.kind === 'number' || spec.kind === 'percent') {
      const n = spec.kind === 'percent' ? parsePercentCell(c) : parseNumberCell(c);
      if (n.ok && n.value !== undefined) return undefined;
    }
  }
  return 'a note, not a report row: no entity id, date or figure';
}
