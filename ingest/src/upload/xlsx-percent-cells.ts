import { elements } from './xlsx-xml.ts';

/** Excel's built-in number formats that show a percentage: 0% and 0.00% */
const builtinPercent = new Set([9, 10]);

/** a format code shows a percentage when a % is in it outside quotes and not escaped (`0.0%`, `#,##0.00%`) */
function showsPercent(code: string): boolean {
  return /%/.test(code.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, ''));
}

/** the cell styles (indexes of `cellXfs`) whose number format shows a percentage */
export function percentStyles(stylesXml: string): Set<number> {
  const custom = new Map(elements(stylesXml, 'numFmt').map((f) => [Number(f.numFmtId), f.formatCode ?? '']));
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(stylesXml)?.[1] ?? '';
  const out = new Set<number>();
  elements(xfs, 'xf').forEach((xf, i) => {
    const id = Number(xf.numFmtId ?? 0);
    if (builtinPercent.has(id) || showsPercent(custom.get(id) ?? '')) out.add(i);
  });
  return out;
}

const columnIndex = (letters: string) => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

/**
 * The numeric cells of a sheet shown as percentages: `row:column` (the spreadsheet's row,
 * 1-based; the column 0-based, as the library's row arrays count). Excel stores 52.5% as
 * 0.525; the report means 52.5.
 */
export function percentCells(sheetXml: Buffer, styles: ReadonlySet<number>): Set<string> {
  const out = new Set<string>();
  if (!styles.size) return out;
  // the tags are ASCII: latin1 reads them without decoding the text between
  const xml = sheetXml.toString('latin1');
  let row = 0;
  let column = -1;
  for (const m of xml.matchAll(/<(?:\w+:)?(row|c)\b([^>]*)>/g)) {
    const attrs = m[2]!;
    if (m[1] === 'row') {
      const r = /\br="(\d+)"/.exec(attrs);
      row = r ? Number(r[1]) : row + 1;
      column = -1;
      continue;
    }
    const ref = /\br="([A-Za-z]+)(\d+)"/.exec(attrs);
    column = ref ? columnIndex(ref[1]!) : column + 1;
    const s = /\bs="(\d+)"/.exec(attrs);
    const t = /\bt="(\w+)"/.exec(attrs)?.[1] ?? 'n';
    if (s && t === 'n' && styles.has(Number(s[1]))) out.add(`${ref ? Number(ref[2]) : row}:${column}`);
  }
  return out;
}
