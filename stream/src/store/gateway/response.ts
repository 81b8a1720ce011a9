import type { ServerResponse } from 'node:http';
import type { Summary } from './engine.ts';

/** ClickHouse's exceptionCodeToHTTPStatus: the HTTP status an error code is answered with */
const byStatus: [number, number[]][] = [
  [401, [194]],
  [403, [192, 193, 516, 512]],
  [400, [36, 427, 6, 25, 26, 38, 41, 72, 441, 27, 376, 15, 44, 39, 37, 8, 167, 168, 223, 62, 117, 53, 321]],
  [404, [60, 46, 47, 50, 56, 81, 115, 58, 63, 73, 336, 188, 511, 372]],
  [413, [369]],
  [501, [48]],
  [503, [209, 76, 439]],
  [411, [381]],
  [408, [159]],
  [409, [373]],
];
/**
 * Beyond ClickHouse's table: SUPPORT_IS_DISABLED (344) is what a client asked for that this
 * store keeps off — expressions in an INSERT's VALUES (host-access.ts), an experimental
 * feature —, the client's request, not the store failing: 400, never a 5xx.
 */
byStatus.push([400, [344]]);
/** and READONLY (164): a write asked of a read-only account or a GET is the client's request, refused: 403 */
byStatus.push([403, [164]]);
const statusOf = new Map(byStatus.flatMap(([status, codes]) => codes.map((c) => [c, status] as const)));
export const httpStatus = (code: number) => statusOf.get(code) ?? 500;

const binary = /^(Native|RowBinary\w*|Parquet|Arrow|ArrowStream|ORC|Avro|Protobuf\w*|CapnProto|MsgPack|BSONEachRow|Npy|LineAsString\w*|RawBLOB)$/i;

/** Content-Type of an answer in `format`, as ClickHouse labels it */
export function contentType(format: string): string {
  const f = format.toLowerCase();
  if (binary.test(format)) return 'application/octet-stream';
  if (f.startsWith('tabseparated') || f.startsWith('tsv')) return 'text/tab-separated-values; charset=UTF-8';
  if (f.startsWith('csv')) return `text/csv; charset=UTF-8; header=${f.includes('withnames') ? 'present' : 'absent'}`;
  if (f.startsWith('json') && f.includes('eachrow')) return 'application/x-ndjson; charset=UTF-8';
  if (f.startsWith('json')) return 'application/json; charset=UTF-8';
  if (f === 'xml') return 'application/xml; charset=UTF-8';
  return 'text/plain; charset=UTF-8';
}

export function summaryHeader(s: Summary): string {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...s, total_rows_to_read: 0 })) out[k] = String(v);
  return JSON.stringify(out);
}

/** an error as ClickHouse sends one: status, X-ClickHouse-Exception-Code, `Code: N. DB::Exception: …` */
export function sendError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  const text = /^Code: \d+\./.test(message) ? message : `Code: ${code}. DB::Exception: ${message.trim()}`;
  if (!res.headersSent) {
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': String(code) });
    res.end(`${text}\n`);
  } else {
    // the answer had begun: ClickHouse ends it with the exception text
    res.end(`\n${text}\n`);
  }
}
