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

describe('the sheet list is the library\'s', () => {
  const sheets = '<sheet name="Cũ" sheetId="1" state="hidden" r:id="rId1"/><sheet name="Mới" sheetId="2" r:id="rId2"/>';
  const refused = (files: Record<string, string>) => {
    try {
      chooseSheet(parts(files));
    } catch (e) {
      expect(e).toBeInstanceOf(XlsxRefused);
      return (e as XlsxRefused).message;
    }
    throw new Error('not refused');
  };

  it('refuses what one reader lists and another skips: a sheet in a comment, without a name, two of one name, an attribute twice, a workbook part elsewhere', () => {
    expect(refused(workbook(`<!-- <sheet name="Mới" sheetId="2" r:id="rId2"/> -->${sheets}`))).toMatch(/ambiguous: xl\/workbook\.xml holds 1 XML comment/);
    expect(refused(workbook(`<sheet sheetId="3" r:id="rId2"/>${sheets}`))).toMatch(/ambiguous: xl\/workbook\.xml lists a sheet without a name \(sheet 1, sheetId 3\)/);
    expect(refused(workbook(`${sheets}<sheet name="M&#7899;i" sheetId="3" r:id="rId2"/>`))).toMatch(/ambiguous: two sheets are named "Mới"/);
    expect(refused(workbook('<sheet name="Cũ" x:name="Mới" sheetId="1" r:id="rId1"/>'))).toMatch(/ambiguous: a <sheet> in xl\/workbook\.xml gives name twice/);
    expect(refused(workbook(`<![CDATA[<sheet name="Mới" sheetId="2" r:id="rId2"/>]]>${sheets}`))).toMatch(/ambiguous: xl\/workbook\.xml holds 1 CDATA section/);
    const rels = (target: string) => `<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${target}"/></Relationships>`;
    expect(refused({ ...workbook(sheets), '_rels/.rels': rels('xl/decoy.xml'), 'xl/decoy.xml': '<workbook/>' })).toMatch(/ambiguous: _rels\/\.rels names the workbook part "xl\/decoy\.xml", and only xl\/workbook\.xml is read/);
    // as LibreOffice and Excel write it (relative, absolute): read
    expect(chooseSheet(parts({ ...workbook(sheets), '_rels/.rels': rels('/xl/workbook.xml') }))).toMatchObject({ name: 'Mới', number: 2 });
    // names as the library reads them: entities and _xHHHH_ escapes decoded, the sheet's part as the library resolves it
    expect(chooseSheet(parts(workbook('<sheet name="T&#7913;_x0031_" sheetId="1" r:id="rId1"/>')))).toMatchObject({ name: 'Tứ1', path: 'xl/worksheets/sheet1.xml' });
  });

  it('reads hostile XML in linear time: a 900 kB attribute run without "=", 100,000 tags never closed, in the workbook and the styles', () => {
    const t0 = Date.now();
    expect(refused(workbook(`<sheet name="A" sheetId="1" r:id="rId1" ${'a'.repeat(900_000)}/>`))).toMatch(/malformed attributes/);
    expect(refused(workbook('<sheet '.repeat(100_000)))).toMatch(/ambiguous/);
    expect(refused(workbook(`<sheet name="A" r:id="rId1"/>${'<sheet name="'.repeat(60_000)}`))).toMatch(/ambiguous|not well-formed XML/);
    expect(() => percentStyles(`<styleSheet><numFmt ${'a'.repeat(900_000)}/><cellXfs>${'<xf '.repeat(100_000)}</cellXfs></styleSheet>`)).toThrow(XlsxRefused);
    expect([...percentCells(Buffer.from(`<sheetData>${'<row '.repeat(100_000)}<c r="A1" s="1"><v>1</v></c>`), new Set([1]))]).toEqual([]);
    // (a regular expression took minutes on each; here all of them take well under a second on a quiet machine)
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('a workbook part larger than a report needs is refused naming it (413), before it is inflated', () => {
    let inflated = false;
    const read = (name: string) => {
      inflated ||= name === 'xl/workbook.xml';
      return Buffer.from('<workbook/>');
    };
    const tooBig = () => chooseSheet(read, (name) => (name === 'xl/workbook.xml' ? 2_000_000 : 10));
    expect(tooBig).toThrow(/the workbook's part xl\/workbook\.xml has 2000000 bytes, more than the 1048576/);
    expect(inflated).toBe(false);
    try {
      tooBig();
    } catch (e) {
      expect((e as XlsxRefused).code).toBe('HD_INGEST_TOO_LARGE');
    }
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
