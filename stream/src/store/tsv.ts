/**
 * ClickHouse's TabSeparated text format, the cheapest text format chDB and a server parse
 * (measured in bench/profile.ts: about a third of JSONEachRow's insert CPU): one line per
 * row, fields in the table's column order, `\N` for NULL, and backslash, tab and newline
 * escaped inside strings.
 */
export type TsvValue = string | number | bigint | boolean | null | undefined;

const special = /[\\\t\n\r]/;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function tsvField(v: TsvValue): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return special.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => escapes[c]!) : v;
  return String(v);
}

/** one row → one line, without the newline */
export function tsvLine(values: readonly TsvValue[]): string {
  let line = tsvField(values[0]);
  for (let i = 1; i < values.length; i++) line += '\t' + tsvField(values[i]);
  return line;
}
