import { describe, expect, it } from 'vitest';
import { XlsxRefused } from '../../src/upload/xlsx-guard.ts';
import { percentCells, percentStyles } from '../../src/upload/xlsx-percent-cells.ts';
import { chooseSheet } from '../../src/upload/xlsx-sheet-choice.ts';

/** a workbook's parts as a map, read as the guard's `read` reads checked entries */
const parts = (files: Record<string, string>) => (name: string) => (files[name] === undefined ? undefined : Buffer.from(files[name]!));
const workbook = (sheets: string, view = '') => ({
  'xl/workbook.xml': `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews>${view}</bookViews><sheets>${sheets}</sheets></workbook>`,
  'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
});

describe('which sheet of a workbook is read', () => {
  it('the active tab when visible; else the first visible; never a hidden one; all hidden is refused naming the sheets', () => {
    const two = '<sheet name="Cũ" sheetId="1" state="hidden" r:id="rId1"/><sheet name="T&amp;8" sheetId="2" r:id="rId2"/>';
    expect(chooseSheet(parts(workbook(two, '<workbookView activeTab="1"/>')))).toEqual({ number: 2, name: 'T&8', path: 'xl/worksheets/sheet2.xml', why: 'active', others: ['Cũ (hidden)'], stylesPath: 'xl/styles.xml' });
    // the active tab is the hidden one (a workbook saved by a library): the first visible sheet
    expect(chooseSheet(parts(workbook(two, '<workbookView activeTab="0"/>')))).toMatchObject({ number: 2, why: 'first visible' });
    expect(chooseSheet(parts(workbook('<sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="2" r:id="rId2"/>')))).toMatchObject({ name: 'A', path: 'xl/worksheets/sheet1.xml', others: ['B'] });
    const hidden = () => chooseSheet(parts(workbook('<sheet name="A" sheetId="1" state="hidden" r:id="rId1"/><sheet name="B" sheetId="2" state="veryHidden" r:id="rId2"/>')));
    expect(hidden).toThrow(XlsxRefused);
    expect(hidden).toThrow(/every sheet of the workbook is hidden \("A", "B"\)/);
  });
});

describe('cells formatted as percentages', () => {
  it('built-in 0% and 0.00%, custom formats with a % outside quotes; not a quoted or escaped %', () => {
    const styles = '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="0&quot;%&quot;"/><numFmt numFmtId="166" formatCode="0\\%"/><numFmt numFmtId="167" formatCode="#,##0"/></numFmts>' +
      '<cellStyleXfs><xf numFmtId="9"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="10"/></cellXfs></styleSheet>';
    expect([...percentStyles(styles)]).toEqual([1, 2, 5]);
  });

  it('numeric cells only, by row and column, with or without cell references', () => {
    const sheet = '<sheetData><row r="2"><c r="A2" s="1"><v>0.5</v></c><c r="B2" s="1" t="s"><v>0</v></c><c r="AA2" s="2"><f>1/2</f><v>0.5</v></c></row>' +
      '<row r="4"><c s="1"><v>0.1</v></c><c s="0"><v>3</v></c><c s="1" t="n"><v>0.2</v></c></row></sheetData>';
    expect([...percentCells(Buffer.from(sheet), new Set([1, 2]))]).toEqual(['2:0', '2:26', '4:0', '4:2']);
  });
});
