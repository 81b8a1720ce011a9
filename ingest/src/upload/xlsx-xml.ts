import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { XlsxRefused } from './xlsx-guard.ts';

/**
 * The few XML facts an upload needs from an XLSX beyond the cell values the spreadsheet
 * library gives (which sheet to read, which cells are formatted as percentages), read with
 * the very XML parser read-excel-file reads the workbook with: its own copy of saxen
 * (`read-excel-file/commonjs/saxen/parser.js`), called as the library calls it (streamed
 * write + end, element and attribute names cut after the first `:`, entities decoded, the
 * same way for the same bytes). So what the chooser sees in `xl/workbook.xml` is what the
 * library sees, by construction, and not a second reading that can disagree (a regular
 * expression counted `<sheet` in comments; the library skips them).
 *
 * saxen scans with `indexOf` and single forward loops: linear in the text, whatever the
 * text (an attribute run of 2 MB without `=`, `<sheet <sheet …` never closed). No XML
 * package of our own is added: the one in node_modules that reads the workbook is this one,
 * and reading the workbook twice with two parsers is exactly what went wrong.
 */
interface Saxen {
  on(event: 'openTag', cb: (name: string, attrs: () => Record<string, string>, decode: (s: string) => string, selfClosing: boolean) => void): Saxen;
  on(event: 'closeTag', cb: (name: string) => void): Saxen;
  on(event: 'error' | 'warn', cb: (e: Error) => void): Saxen;
  on(event: 'comment' | 'cdata' | 'attention' | 'question', cb: (text: string) => void): Saxen;
  write(xml: string): Saxen;
  end(): Error | undefined;
  stop(): void;
}

const require = createRequire(import.meta.url);
// the library's package.json is exported; its parser is beside it (the version package-lock pins)
const saxenPath = join(dirname(require.resolve('read-excel-file/package.json')), 'commonjs', 'saxen', 'parser.js');
const newParser = (require(saxenPath) as { default: () => Saxen }).default;

/** as the library's `trimXmlnsPrefix`: the name after its first `:` (an attribute `xmlns:…` kept whole) */
function localName(name: string, attribute = false): string {
  const i = name.indexOf(':');
  if (i < 0 || (attribute && i === 5 && name.startsWith('xmlns'))) return name;
  return name.slice(i + 1);
}

/** what else a scanned part held: what Excel and LibreOffice never write in the parts read here */
export interface XmlOddities {
  /** comments, CDATA sections, `<!DOCTYPE …>` and other `<!…>` declarations, `<?…?>` after the first */
  comments: number;
  cdata: number;
  declarations: number;
  instructions: number;
  /** the parser's first warning (an attribute it skipped: no value, no quotes, given twice, …), when it stops at one */
  warnings: string[];
}

export interface XmlTag {
  /** the element's name after its prefix, as the library names it */
  name: string;
  /** its attributes, as the library reads them: names after their prefix, values decoded */
  attributes(): Record<string, string>;
  /**
   * two attributes whose names are the same after their prefix (`name` and `x:name`):
   * the library keeps one of them, depending on their order
   */
  clashing(): string[];
}

/**
 * Every element's opening tag of `xml`, in order, to `onTag` (and closing tags to `onClose`),
 * as the library's parser sees them. A part the parser cannot read is refused naming it.
 */
export function scanXml(part: string, xml: string, onTag: (tag: XmlTag) => void, onClose: (name: string) => void = () => {}, { stopAtWarning = true } = {}): XmlOddities {
  const odd: XmlOddities = { comments: 0, cdata: 0, declarations: 0, instructions: 0, warnings: [] };
  let failure: Error | undefined;
  const parser = newParser();
  parser.on('openTag', (name, attrs, decode) => {
    let read: { values: Record<string, string>; clashing: string[] } | undefined;
    const once = () => {
      if (read) return read;
      const raw = attrs();
      const values: Record<string, string> = {};
      const seen = new Set<string>();
      const clashing: string[] = [];
      for (const n of Object.keys(raw)) {
        const local = localName(n, true);
        if (seen.has(local)) clashing.push(local);
        seen.add(local);
        values[n] = decode(raw[n]!);
        values[local] = values[n];
      }
      return (read = { values, clashing });
    };
    onTag({ name: localName(name), attributes: () => once().values, clashing: () => once().clashing });
  });
  parser.on('closeTag', (name) => onClose(localName(name)));
  parser.on('error', (e) => {
    failure ??= e;
    throw e;
  });
  // a part refused for its first warning is read no further; a part read for hints only (styles, the sheet)
  // registers no listener, so the parser builds no warning at all (it builds an Error for each one)
  if (stopAtWarning)
    parser.on('warn', (e) => {
      odd.warnings.push(e.message);
      parser.stop();
    });
  parser.on('comment', () => odd.comments++);
  parser.on('cdata', () => odd.cdata++);
  parser.on('attention', () => odd.declarations++);
  parser.on('question', () => odd.instructions++);
  try {
    parser.write(xml);
    const e = parser.end();
    failure ??= e;
  } catch (e) {
    // a refusal of the caller's, from its `onTag`, is the answer as it is
    if (e instanceof XlsxRefused) throw e;
    failure ??= e as Error;
  }
  // (stopped at a warning, the rest was not read: the warning is the answer)
  if (failure && !odd.warnings.length) throw new XlsxRefused(`${part} is not well-formed XML (${String(failure.message).slice(0, 120)})`);
  return odd;
}

/**
 * A part of the workbook read for these facts, bounded: it is read whole into memory and
 * scanned before the library starts, so a part beyond `maxBytes` is refused naming it (413).
 */
export function boundedPart(read: (name: string) => Buffer | undefined, name: string, maxBytes: number, size?: (name: string) => number | undefined): string | undefined {
  const declared = size?.(name);
  if (declared !== undefined && declared > maxBytes) throw new XlsxRefused(`the workbook's part ${name} has ${declared} bytes, more than the ${maxBytes} a report's workbook needs`, 'HD_INGEST_TOO_LARGE');
  const b = read(name);
  if (b === undefined) return undefined;
  if (b.length > maxBytes) throw new XlsxRefused(`the workbook's part ${name} has ${b.length} bytes, more than the ${maxBytes} a report's workbook needs`, 'HD_INGEST_TOO_LARGE');
  return b.toString('utf8');
}
