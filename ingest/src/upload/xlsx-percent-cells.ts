import { XlsxRefused } from './xlsx-guard.ts';
import { scanXml } from './xlsx-xml.ts';

/** Excel's built-in number formats that show a percentage: 0% and 0.00% */
const builtinPercent = new Set([9, 10]);

/** a format code shows a percentage when a % is in it outside quotes and not escaped (`0.0%`, `#,##0.00%`) */
function showsPercent(code: string): boolean {
  return /%/.test(code.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, ''));
}

/** the cell styles (indexes of `cellXfs`) whose number format shows a percentage; the styles part is read by the library's parser (linear) */
export function percentStyles(stylesXml: string, part = 'xl/styles.xml'): Set<number> {
  const custom = new Map<number, string>();
  const formats: number[] = [];
  let inCellXfs = 0;
  scanXml(
    part,
    stylesXml,
    (tag) => {
      if (tag.name === 'numFmt') {
        const a = tag.attributes();
        custom.set(Number(a.numFmtId), a.formatCode ?? '');
      } else if (tag.name === 'cellXfs') inCellXfs++;
      else if (tag.name === 'xf' && inCellXfs) formats.push(Number(tag.attributes().numFmtId ?? 0));
    },
    (name) => {
      if (name === 'cellXfs') inCellXfs--;
    },
    { stopAtWarning: false },
  );
  const out = new Set<number>();
  formats.forEach((id, i) => {
    if (builtinPercent.has(id) || showsPercent(custom.get(id) ?? '')) out.add(i);
  });
  return out;
}

const columnIndex = (letters: string) => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
const cellRef = /^([A-Za-z]{1,3})(\d{1,7})$/;
const digits = /^\d{1,7}$/;

/**
 * The numeric cells of a sheet shown as percentages: `row:column` (the spreadsheet's row,
 * 1-based; the column 0-based, as the library's row arrays count). Excel stores 52.5% as
 * 0.525; the report means 52.5. The sheet is read by the library's parser (linear).
 */
export function percentCells(sheetXml: Buffer, styles: ReadonlySet<number>, part = 'the sheet'): Set<string> {
  const out = new Set<string>();
  if (!styles.size) return out;
  // the tags and attributes read here are ASCII: latin1 reads them without decoding the text between
  const xml = sheetXml.toString('latin1');
  let row = 0;
  let column = -1;
  try {
    scanXml(part, xml, (tag) => {
      if (tag.name === 'row') {
        const r = tag.attributes().r;
        row = r !== undefined && digits.test(r) ? Number(r) : row + 1;
        column = -1;
        return;
      }
      if (tag.name !== 'c') return;
      const a = tag.attributes();
      const ref = a.r === undefined ? null : cellRef.exec(a.r);
      column = ref ? columnIndex(ref[1]!) : column + 1;
      const s = a.s !== undefined && digits.test(a.s) ? Number(a.s) : undefined;
      const t = a.t ?? 'n';
      if (s !== undefined && t === 'n' && styles.has(s)) out.add(`${ref ? Number(ref[2]) : row}:${column}`);
    }, undefined, { stopAtWarning: false });
  } catch (e) {
    // the library reads (and refuses) the sheet itself: a broken sheet is its to name
    if (!(e instanceof XlsxRefused)) throw e;
  }
  return out;
}
