import { elements } from './xlsx-xml.ts';
import { XlsxRefused } from './xlsx-guard.ts';

export interface SheetChoice {
  /** 1-based, in the workbook's order (as the spreadsheet library counts sheets) */
  number: number;
  name: string;
  /** the sheet's XML inside the zip */
  path: string | undefined;
  /** why this sheet: the one the workbook opens on, or the first visible one */
  why: 'active' | 'first visible';
  /** the workbook's other sheets, not read */
  others: string[];
  /** the workbook's styles (number formats) inside the zip */
  stylesPath: string | undefined;
}

/** a relationship's target → a path inside the zip (relative to the part's folder, or absolute) */
function resolve(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.') parts.push(p);
  }
  return parts.join('/');
}

/**
 * Which sheet of a workbook is the report: the sheet Excel or LibreOffice opens on (the
 * workbook's active tab), as the clerk last saw it; when that one is hidden, the first
 * visible sheet. A hidden sheet (last month's copy, a lookup table) is never read. A workbook
 * whose every sheet is hidden is refused.
 */
export function chooseSheet(read: (name: string) => Buffer | undefined): SheetChoice {
  const rootRels = read('_rels/.rels')?.toString('utf8') ?? '';
  const docTarget = elements(rootRels, 'Relationship').find((r) => /\/officeDocument$/.test(r.Type ?? ''))?.Target;
  const workbookPath = docTarget ? resolve('', docTarget) : 'xl/workbook.xml';
  const workbook = read(workbookPath)?.toString('utf8');
  if (workbook === undefined) throw new XlsxRefused(`not an XLSX file (no ${workbookPath})`);
  const folder = workbookPath.split('/').slice(0, -1).join('/');
  const relsPath = `${folder ? `${folder}/` : ''}_rels/${workbookPath.split('/').pop()}.rels`;
  const relations = elements(read(relsPath)?.toString('utf8') ?? '', 'Relationship');
  const rels = new Map(relations.map((r) => [r.Id ?? '', r.Target ?? '']));
  const stylesTarget = relations.find((r) => /\/styles$/.test(r.Type ?? ''))?.Target;
  const stylesPath = stylesTarget ? resolve(workbookPath, stylesTarget) : undefined;
  const sheets = elements(workbook, 'sheet').map((s, i) => ({ number: i + 1, name: s.name ?? `#${i + 1}`, visible: !s.state || s.state === 'visible', path: rels.has(s.id ?? '') ? resolve(workbookPath, rels.get(s.id ?? '')!) : undefined }));
  if (!sheets.length) throw new XlsxRefused('the workbook has no sheets');
  const activeTab = Number(elements(workbook, 'workbookView')[0]?.activeTab ?? 0);
  const active = sheets[Number.isInteger(activeTab) ? activeTab : 0];
  const chosen = active?.visible ? { ...active, why: 'active' as const } : { ...sheets.find((s) => s.visible), why: 'first visible' as const };
  if (chosen.number === undefined) throw new XlsxRefused(`every sheet of the workbook is hidden (${sheets.map((s) => `"${s.name}"`).join(', ')}): unhide the report's sheet and send it again`);
  return { number: chosen.number, name: chosen.name!, path: chosen.path, why: chosen.why, stylesPath, others: sheets.filter((s) => s.number !== chosen.number).map((s) => `${s.name}${s.visible ? '' : ' (hidden)'}`) };
}
