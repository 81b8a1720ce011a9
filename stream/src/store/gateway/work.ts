import { refuseFormatName } from './host-access.ts';
import { HttpError } from './http-error.ts';
import type { GatewayRequest } from './request.ts';
import { readStatement } from './statement.ts';

/** a statement that only reads: what GET and the read-only account may run (`WITH … INSERT` is an INSERT whatever its first word) */
export function isRead(work: Work): boolean {
  return 'query' in work && /^(SELECT|WITH|SHOW|DESCRIBE|DESC|EXISTS|EXPLAIN)$/.test(work.kind) && !(work.kind === 'WITH' && /\bINSERT\b/i.test(work.query));
}

/** what the engine is asked to do once the request is read */
export type Work = { insert: { prefix: string; data: Buffer; format: string; fromFile(path: string): string } } | { query: string; format: string; kind: string; lead: string };

/** how much of a long request is read as text first: an INSERT's SQL (before its data) is far shorter */
const windowBytes = 64 * 1024;

/** the request's statement, from the `query` parameter and the body as ClickHouse joins them */
export function workOf(r: GatewayRequest, body: Buffer): Work {
  // ClickHouse reads the `query` parameter, a line break, then the body as one text
  const head = r.urlQuery === null ? Buffer.alloc(0) : Buffer.from(`${r.urlQuery}\n`, 'utf8');
  const whole = () => (head.length ? Buffer.concat([head, body]) : body);
  // an INSERT's SQL is short: find its data within the first 64 KiB before reading more as text
  const total = head.length + body.length;
  const window = total > windowBytes ? Buffer.concat([head, body.subarray(0, windowBytes)]) : whole();
  let st = readStatement(window.toString('latin1'));
  // read again whole when the window held no data start, or ended before the data did start
  // (a format's name cut at the window's end: `FORMAT CSV|WithNames`)
  const all = (st.dataStart === undefined || st.dataStart >= window.length) && window.length < total ? whole() : window;
  if (all !== window) st = readStatement(all.toString('latin1'));
  if (!st.kind) throw new HttpError(400, 62, 'Empty query (SYNTAX_ERROR)');
  if (st.multi) throw new HttpError(400, 62, `Syntax error (Multi-statements are not allowed): failed at position ${st.end + 1} (end of query) (SYNTAX_ERROR)`);
  if (st.dataStart !== undefined) {
    refuseFormatName(st.format!);
    // the SQL lies within what was read; the data is the body's own bytes from there, not a copy of them
    const sql = (from: number, to?: number) => all.subarray(from, to).toString('utf8');
    const data = st.dataStart >= head.length ? body.subarray(st.dataStart - head.length) : whole().subarray(st.dataStart);
    return {
      insert: {
        prefix: sql(0, st.insertPrefix!.length),
        data,
        format: st.format!,
        fromFile: (path) => `${sql(0, st.clauseStart)} FROM INFILE '${path}' ${sql(st.clauseStart!, st.dataKeyword)} FORMAT ${st.format}`,
      },
    };
  }
  const text = all.subarray(0, st.end);
  const query = text.toString('utf8').trimEnd();
  // the text up to the end of the first keyword (byte offsets: the statement was read as latin1)
  const lead = text.subarray(0, st.kindEnd).toString('utf8');
  return { query, format: st.format ?? r.defaultFormat, kind: st.kind, lead };
}
