import { describeIssues, maxEventBytes, streams, type DataStreamName } from '@haidang/stream';
import { contentEventId } from '../push/event-ids.ts';
import { isEmptyCell, parseBooleanCell, parseDateCell, parseIntegerCell, parseMonthCell, parseNumberCell, parsePercentCell, parseTextCell, type Cell, type CellResult } from './cell-parse.ts';
import type { ColumnSpec, HeaderMatch } from './columns.ts';
import { commodityNamed, unknownCommodityReason, type Commodity } from '../sources/commodity-names.ts';

/** one refused cell or row, as the row report lists it; `row` is the spreadsheet's own row number (empty and title rows count) */
export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: string;
}

export interface RowContext {
  stream: DataStreamName;
  source: string;
  receivedAt: string;
  /** entities the key may report for */
  allowed: ReadonlySet<string>;
  /** the city pack's commodities, so "Thịt heo nạc" (or "thit heo nac") finds `pork` and its unit, and an unknown one is refused */
  commodities: readonly Commodity[];
}

export type MappedRow = { ok: true; event: Record<string, unknown> } | { ok: false; errors: RowError[] };

const parsers: Record<ColumnSpec['kind'], (c: Cell) => CellResult<unknown>> = {
  entity: parseTextCell,
  text: parseTextCell,
  date: parseDateCell,
  integer: parseIntegerCell,
  number: parseNumberCell,
  percent: parsePercentCell,
  boolean: parseBooleanCell,
  month: parseMonthCell,
};

const shown = (c: Cell) => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString() : String(c)).slice(0, 200);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
  o[parts[parts.length - 1]!] = value;
}

/**
 * One data row → an event of the stream, or every reason it is refused (each cell that
 * cannot be read, then what the stream's schema says). Cells are read by kind; nothing is
 * coerced by zod.
 */
export function mapRow(cells: readonly Cell[], rowNumber: number, match: HeaderMatch, ctx: RowContext): MappedRow | null {
  if (cells.every(isEmptyCell)) return null;
  const errors: RowError[] = [];
  const event: Record<string, unknown> = { version: 1, stream: ctx.stream, source: ctx.source, receivedAt: ctx.receivedAt };
  const raw = new Map<string, Cell>();
  for (const [i, spec] of match.byIndex) {
    const cell = cells[i];
    raw.set(spec.field, cell);
    const r = parsers[spec.kind](cell);
    if (!r.ok) errors.push({ row: rowNumber, column: match.headerOf.get(spec.field)!, value: shown(cell), reason: r.reason });
    else if (r.value !== undefined) setPath(event, spec.field, r.value);
  }
  const columnOf = (field: string) => match.headerOf.get(field) ?? field;
  const entity = event.entity;
  if (typeof entity === 'string' && !ctx.allowed.has(entity)) {
    errors.push({ row: rowNumber, column: columnOf('entity'), value: entity, reason: `this API key may not report for "${entity}"` });
  }
  const payload = (event.payload ??= {}) as Record<string, unknown>;
  if (ctx.stream === 'prices' && typeof payload.commodity === 'string') {
    const c = commodityNamed(ctx.commodities, payload.commodity);
    if (c) {
      payload.commodity = c.id;
      payload.unit ??= c.unit;
    } else {
      const reason = unknownCommodityReason(ctx.commodities, payload.commodity);
      if (reason) errors.push({ row: rowNumber, column: columnOf('payload.commodity'), value: payload.commodity, reason });
    }
  }
  if (errors.length) return { ok: false, errors };
  event.id ??= contentEventId(ctx.source, ctx.stream, { entity: event.entity, observedAt: event.observedAt, payload });
  const parsed = streams[ctx.stream].schema.safeParse(event);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 10)) {
      const field = issue.path.map(String).join('.');
      const specField = [...match.byIndex.values()].find((s) => s.field === field || field.startsWith(`${s.field}.`))?.field ?? field;
      errors.push({ row: rowNumber, column: columnOf(specField), value: shown(raw.get(specField)), reason: issue.code === 'invalid_type' && isEmptyCell(raw.get(specField)) ? 'required: the cell is empty' : issue.message || describeIssues(parsed.error).message });
    }
    return { ok: false, errors };
  }
  if (JSON.stringify(parsed.data).length > maxEventBytes) return { ok: false, errors: [{ row: rowNumber, column: '(row)', value: '', reason: `over ${maxEventBytes} bytes` }] };
  return { ok: true, event: parsed.data as Record<string, unknown> };
}
