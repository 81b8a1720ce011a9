import { refuseFormatName } from './host-access.ts';
import { HttpError } from './http-error.ts';
import type { GatewayRequest } from './request.ts';
import { readStatement } from './statement.ts';

/** what the engine is asked to do once the request is read */
export type Work = { insert: { prefix: string; data: Buffer; format: string; fromFile(path: string): string } } | { query: string; format: string; kind: string; lead: string };

/** the request's statement, from the `query` parameter and the body as ClickHouse joins them */
export function workOf(r: GatewayRequest, body: Buffer): Work {
  // ClickHouse reads the `query` parameter, a line break, then the body as one text
  const head = r.urlQuery === null ? Buffer.alloc(0) : Buffer.from(`${r.urlQuery}\n`, 'utf8');
  // an INSERT's SQL is short: find its data within the first MiB before reading more as text
  const window = head.length + body.length > 1 << 20 ? Buffer.concat([head, body.subarray(0, 1 << 20)]) : Buffer.concat([head, body]);
  let st = readStatement(window.toString('latin1'));
  if (st.dataStart === undefined && window.length < head.length + body.length) st = readStatement(Buffer.concat([head, body]).toString('latin1'));
  if (!st.kind) throw new HttpError(400, 62, 'Empty query (SYNTAX_ERROR)');
  if (st.multi) throw new HttpError(400, 62, `Syntax error (Multi-statements are not allowed): failed at position ${st.end + 1} (end of query) (SYNTAX_ERROR)`);
  if (st.dataStart !== undefined) {
    refuseFormatName(st.format!);
    const all = window.length === head.length + body.length ? window : Buffer.concat([head, body]);
    const sql = (from: number, to?: number) => all.subarray(from, to).toString('utf8');
    return {
      insert: {
        prefix: sql(0, st.insertPrefix!.length),
        data: all.subarray(st.dataStart),
        format: st.format!,
        fromFile: (path) => `${sql(0, st.clauseStart)} FROM INFILE '${path}' ${sql(st.clauseStart!, st.dataKeyword)} FORMAT ${st.format}`,
      },
    };
  }
  const all = Buffer.concat([head, body]).subarray(0, st.end);
  const query = all.toString('utf8').trimEnd();
  // the text up to the end of the first keyword (byte offsets: the statement was read as latin1)
  const lead = all.subarray(0, st.kindEnd).toString('utf8');
  return { query, format: st.format ?? r.defaultFormat, kind: st.kind, lead };
}
