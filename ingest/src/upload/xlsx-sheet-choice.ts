import { XlsxRefused } from './xlsx-guard.ts';
import { boundedPart, scanXml, type XmlOddities } from './xlsx-xml.ts';

export interface SheetChoice {
  /** 1-based, in the workbook's order, as the spreadsheet library counts sheets */
  number: number;
  /** the sheet's name as the library reads it: what the library is given to read (names are unique here) */
  name: string;
  /** the sheet's XML inside the zip, as the library resolves it */
  path: string | undefined;
  /** why this sheet: the one the workbook opens on, or the first visible one */
  why: 'active' | 'first visible';
  /** the workbook's other sheets, not read */
  others: string[];
  /** the workbook's styles (number formats) inside the zip, as the library resolves them */
  stylesPath: string | undefined;
}

/** the parts read to choose the sheet are small in any real workbook; a larger one is refused naming it (413) */
const maxWorkbookPartBytes = 1024 * 1024;
export const maxStylesBytes = 8 * 1024 * 1024;

/** where the library reads the workbook: these paths, fixed, whatever `_rels/.rels` says */
const workbookPath = 'xl/workbook.xml';
const workbookRelsPath = 'xl/_rels/workbook.xml.rels';
const relationTypes = ['http://schemas.openxmlformats.org/officeDocument/2006/relationships/', 'http://purl.oclc.org/ooxml/officeDocument/relationships/'];

/** as the library's `getFilePathFromRelationTarget`: `/x` is `x`, anything else is under `xl/` */
const libraryPath = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`);

/** as the library's `unescapeXlsxString`: `_xHHHH_` escapes, left to right */
const unescapeXlsx = (s: string) => (s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s);

const ambiguous = (what: string) => new XlsxRefused(`the workbook's structure is ambiguous: ${what}; Excel and LibreOffice never write that — open the file and save it again as .xlsx`);

/** what no workbook saved by Excel or LibreOffice holds in the parts read here, which could hide a sheet from one reader and not another */
function refuseOddities(part: string, odd: XmlOddities): void {
  const found = [odd.comments && `${odd.comments} XML comment(s)`, odd.cdata && `${odd.cdata} CDATA section(s)`, odd.declarations && `${odd.declarations} <!…> declaration(s)`, odd.instructions > 1 && 'processing instructions'].filter(Boolean);
  if (found.length) throw ambiguous(`${part} holds ${found.join(', ')}`);
  if (odd.warnings.length) throw ambiguous(`${part} has malformed attributes (${odd.warnings.join('; ').slice(0, 160)})`);
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

function relationships(part: string, xml: string): Relationship[] {
  const out: Relationship[] = [];
  const odd = scanXml(part, xml, (tag) => {
    if (tag.name !== 'Relationship') return;
    if (tag.clashing().length) throw ambiguous(`a relationship in ${part} gives ${tag.clashing().join(', ')} twice`);
    const a = tag.attributes();
    out.push({ id: a.Id ?? '', type: a.Type ?? '', target: a.Target ?? '' });
  });
  refuseOddities(part, odd);
  return out;
}

/**
 * Which sheet of a workbook is the report: the sheet Excel or LibreOffice opens on (the
 * workbook's active tab), as the clerk last saw it; when that one is hidden, the first
 * visible sheet. A hidden sheet (last month's copy, a lookup table) is never read. A workbook
 * whose every sheet is hidden is refused.
 *
 * The sheets are listed exactly as read-excel-file lists them — `xl/workbook.xml` (the
 * library reads no other workbook part), its `<sheet>` elements with a name, by its own XML
 * parser — and the sheet is handed to the library by its name, which is unique: the library
 * reads the sheet chosen here or fails, never another. A workbook whose structure could read
 * one way here and another way elsewhere is refused (422) naming what is wrong: a document
 * part other than xl/workbook.xml, comments or declarations in the workbook part, a sheet
 * without a name, two sheets of one name, an attribute given twice.
 */
export function chooseSheet(read: (name: string) => Buffer | undefined, size?: (name: string) => number | undefined): SheetChoice {
  const rootRels = boundedPart(read, '_rels/.rels', maxWorkbookPartBytes, size);
  if (rootRels !== undefined) {
    const documents = relationships('_rels/.rels', rootRels).filter((r) => /\/officeDocument$/.test(r.type));
    const elsewhere = documents.map((r) => (r.target.startsWith('/') ? r.target.slice(1) : r.target.replace(/^\.\//, ''))).filter((p) => p !== workbookPath);
    if (elsewhere.length || documents.length > 1) throw ambiguous(`_rels/.rels names the workbook part ${elsewhere.length ? `"${elsewhere[0]!.slice(0, 100)}"` : 'more than once'}, and only ${workbookPath} is read`);
  }
  const workbook = boundedPart(read, workbookPath, maxWorkbookPartBytes, size);
  if (workbook === undefined) throw new XlsxRefused(`not an XLSX file (no ${workbookPath})`);

  const sheets: Array<{ number: number; name: string; visible: boolean; relationId: string | undefined }> = [];
  let activeTab: string | undefined;
  const odd = scanXml(workbookPath, workbook, (tag) => {
    if (tag.name === 'workbookView') {
      activeTab ??= tag.attributes().activeTab ?? '0';
      return;
    }
    if (tag.name !== 'sheet') return;
    const a = tag.attributes();
    if (tag.clashing().length) throw ambiguous(`a <sheet> in ${workbookPath} gives ${tag.clashing().join(', ')} twice`);
    // the library skips a sheet without a name, so the sheets after it would be counted differently
    if (!a.name) throw ambiguous(`${workbookPath} lists a sheet without a name (sheet ${sheets.length + 1}${a.sheetId ? `, sheetId ${a.sheetId.slice(0, 20)}` : ''})`);
    sheets.push({ number: sheets.length + 1, name: unescapeXlsx(a.name), visible: !a.state || a.state === 'visible', relationId: a.id });
  });
  refuseOddities(workbookPath, odd);
  if (!sheets.length) throw new XlsxRefused('the workbook has no sheets');
  const names = new Set<string>();
  for (const s of sheets) {
    if (names.has(s.name)) throw ambiguous(`two sheets are named "${s.name.slice(0, 60)}"`);
    names.add(s.name);
  }

  const rels = boundedPart(read, workbookRelsPath, maxWorkbookPartBytes, size);
  const sheetPaths = new Map<string, string>();
  let stylesPath: string | undefined;
  for (const r of rels === undefined ? [] : relationships(workbookRelsPath, rels)) {
    const base = relationTypes.find((b) => r.type.startsWith(b));
    const kind = base === undefined ? undefined : r.type.slice(base.length);
    // as the library: the last styles relationship wins, a worksheet by its id
    if (kind === 'styles') stylesPath = libraryPath(r.target);
    else if (kind === 'worksheet') sheetPaths.set(r.id, libraryPath(r.target));
  }

  const tab = Number(activeTab ?? 0);
  const active = sheets[Number.isInteger(tab) ? tab : 0];
  const chosen = active?.visible ? { ...active, why: 'active' as const } : { ...sheets.find((s) => s.visible), why: 'first visible' as const };
  if (chosen.number === undefined) throw new XlsxRefused(`every sheet of the workbook is hidden (${sheets.map((s) => `"${s.name}"`).join(', ')}): unhide the report's sheet and send it again`);
  return {
    number: chosen.number,
    name: chosen.name!,
    path: chosen.relationId === undefined ? undefined : sheetPaths.get(chosen.relationId),
    why: chosen.why,
    stylesPath,
    others: sheets.filter((s) => s.number !== chosen.number).map((s) => `${s.name}${s.visible ? '' : ' (hidden)'}`),
  };
}
