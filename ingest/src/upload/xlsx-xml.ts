/**
 * The few XML facts an upload needs from an XLSX beyond the cell values the spreadsheet
 * library gives (which sheet to read, which cells are formatted as percentages): elements'
 * attributes read with a regular expression. The files are Excel's, LibreOffice's or a
 * library's, flat and machine-written; nothing here is evaluated.
 */
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : entities[e.toLowerCase()]!,
  );
}

/** the attributes of every `<tag …>` (or `<prefix:tag …>`) in the text, names without their prefix */
export function elements(xml: string, tag: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  const re = new RegExp(`<(?:[\\w.-]+:)?${tag}\\b([^>]*)>`, 'g');
  for (const m of xml.matchAll(re)) out.push(attributes(m[1]!));
  return out;
}

function attributes(text: string): Record<string, string> {
  const a: Record<string, string> = {};
  for (const m of text.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = m[1]!.includes(':') && !m[1]!.startsWith('xmlns') ? m[1]!.split(':').pop()! : m[1]!;
    a[name] = unescapeXml(m[2] ?? m[3] ?? '');
  }
  return a;
}
