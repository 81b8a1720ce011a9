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
  for (let i = 1; i < values.length; i++) line += `\t${tsvField(values[i])}`;
  return line;
}

/**
 * A batch's lines written straight into one Buffer as they are made: half the CPU of joining
 * a string and encoding it at the end (bench/profile.ts, "TabSeparated line"), and no
 * 20,000-piece string kept alive while the batch is decoded.
 */
export class TsvBody {
  private buf: Buffer;
  private used = 0;

  /** `estimate`: bytes expected (the batch's JSON is a good one: TabSeparated drops the keys) */
  constructor(estimate: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, estimate));
  }

  add(line: string): void {
    // a UTF-16 unit never takes more than 3 bytes in UTF-8: room for the worst case, then write
    const worst = line.length * 3 + 1;
    if (this.used + worst > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + worst));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    this.used += this.buf.write(line, this.used);
    this.buf[this.used++] = 10;
  }

  /** bytes of whole lines (newline included), copied as they are */
  addBytes(lines: Uint8Array): void {
    if (this.used + lines.length > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + lines.length));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    this.buf.set(lines, this.used);
    this.used += lines.length;
  }

  get length(): number {
    return this.used;
  }

  /** the lines so far; a view, so do not add to the body while it is being sent */
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}
