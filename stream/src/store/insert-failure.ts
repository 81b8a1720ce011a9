import { HaiDangError } from '../errors.ts';

/**
 * What to do when a store call fails, decided from the error's ClickHouse code (numeric, as
 * the server sends it in `X-ClickHouse-Exception-Code` and `Code: N.`; chDB's errors are
 * given the same shape) or, when there is no code, from the type of the transport error:
 *  - `retry`: an outage — the store is unreachable, overloaded or the answer was lost
 *    (unknown outcome): pause and resend the same rows with the same deduplication token;
 *  - `reject`: the store refused the data itself (a value it cannot parse or hold, a CHECK,
 *    a view that cannot compute a row): split the batch and dead-letter the rows it refuses;
 *  - `fatal`: schema, syntax, permission or any other code: no retry of the same rows can fix it.
 * Messages are never read: a message is prose and changes between versions, a code or a type
 * does not.
 */
export type InsertFailure = 'retry' | 'reject' | 'fatal';

/** ClickHouse error codes (src/Common/ErrorCodes.cpp) that mean "the store is not able to answer now". */
export const outageCodes: ReadonlyMap<string, string> = new Map([
  ['3', 'UNEXPECTED_END_OF_FILE'],
  ['23', 'CANNOT_READ_FROM_ISTREAM'],
  ['24', 'CANNOT_WRITE_TO_OSTREAM'],
  ['95', 'CANNOT_READ_FROM_SOCKET'],
  ['96', 'CANNOT_WRITE_TO_SOCKET'],
  ['159', 'TIMEOUT_EXCEEDED'],
  ['164', 'READONLY'],
  ['202', 'TOO_MANY_SIMULTANEOUS_QUERIES'],
  ['203', 'NO_FREE_CONNECTION'],
  ['209', 'SOCKET_TIMEOUT'],
  ['210', 'NETWORK_ERROR'],
  ['236', 'ABORTED'],
  ['241', 'MEMORY_LIMIT_EXCEEDED'],
  ['242', 'TABLE_IS_READ_ONLY'],
  ['243', 'NOT_ENOUGH_SPACE'],
  ['252', 'TOO_MANY_PARTS'],
  ['285', 'TOO_FEW_LIVE_REPLICAS'],
  ['286', 'UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE'],
  ['319', 'UNKNOWN_STATUS_OF_INSERT'],
  ['364', 'RECEIVED_ERROR_TOO_MANY_REQUESTS'],
  ['394', 'QUERY_WAS_CANCELLED'],
  ['425', 'SYSTEM_ERROR'],
  ['439', 'CANNOT_SCHEDULE_TASK'],
  ['473', 'DEADLOCK_AVOIDED'],
  ['745', 'SERVER_OVERLOADED'],
  ['777', 'MEMORY_RESERVATION_KILLED'],
  ['778', 'MEMORY_RESERVATION_FAILED'],
  ['999', 'KEEPER_EXCEPTION'],
]);

/** codes that mean a row itself cannot be stored: parsing, range, conversion, constraints, a view's function failing on a value */
export const rowCodes: ReadonlyMap<string, string> = new Map([
  ['6', 'CANNOT_PARSE_TEXT'],
  ['25', 'CANNOT_PARSE_ESCAPE_SEQUENCE'],
  ['26', 'CANNOT_PARSE_QUOTED_STRING'],
  ['27', 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  ['32', 'ATTEMPT_TO_READ_AFTER_EOF'],
  ['33', 'CANNOT_READ_ALL_DATA'],
  ['38', 'CANNOT_PARSE_DATE'],
  ['41', 'CANNOT_PARSE_DATETIME'],
  ['53', 'TYPE_MISMATCH'],
  ['69', 'ARGUMENT_OUT_OF_BOUND'],
  ['70', 'CANNOT_CONVERT_TYPE'],
  ['72', 'CANNOT_PARSE_NUMBER'],
  ['117', 'INCORRECT_DATA'],
  ['128', 'TOO_LARGE_ARRAY_SIZE'],
  ['130', 'CANNOT_READ_ARRAY_FROM_TEXT'],
  ['131', 'TOO_LARGE_STRING_SIZE'],
  ['153', 'ILLEGAL_DIVISION'],
  ['190', 'SIZES_OF_ARRAYS_DONT_MATCH'],
  ['321', 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'],
  ['349', 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN'],
  ['376', 'CANNOT_PARSE_UUID'],
  ['395', 'FUNCTION_THROW_IF_VALUE_IS_NON_ZERO'],
  ['407', 'DECIMAL_OVERFLOW'],
  ['441', 'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING'],
  ['467', 'CANNOT_PARSE_BOOL'],
  ['469', 'VIOLATED_CONSTRAINT'],
  ['490', 'CANNOT_FORMAT_DATETIME'],
  ['563', 'CANNOT_READ_MAP_FROM_TEXT'],
  ['621', 'CANNOT_NORMALIZE_STRING'],
  ['632', 'UNEXPECTED_DATA_AFTER_PARSED_VALUE'],
  ['691', 'UNKNOWN_ELEMENT_OF_ENUM'],
  ['760', 'UNICODE_ERROR'],
]);

const retryableSystem = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** what an aborted or timed-out request rejects with (DOMException from AbortSignal, undici) */
const abortNames = new Set(['AbortError', 'TimeoutError']);

/**
 * Whether a code-less error means the request got no answer from ClickHouse, told by its type
 * and properties: a system code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, …) on it or a cause, an
 * AbortError or TimeoutError, or a plain `Error` without a code — the type @clickhouse/client
 * rejects with when its request timed out, was aborted, lost its socket or got an answer that
 * is not ClickHouse's (a proxy's 502 page). The server's own errors are ClickHouseErrors with
 * a code, and a bug is a TypeError, RangeError, … or a HaiDangError: none of these.
 */
export function storeDidNotAnswer(error: unknown): boolean {
  let e = error as { code?: unknown; name?: unknown; cause?: unknown } | null;
  for (let depth = 0; e && typeof e === 'object' && depth < 8; depth++, e = e.cause === e ? null : (e.cause as typeof e)) {
    if (e.code !== undefined && retryableSystem.has(String(e.code))) return true;
    if (abortNames.has(String(e.name))) return true;
  }
  return error instanceof Error && Object.getPrototypeOf(error) === Error.prototype && (error as { code?: unknown }).code === undefined;
}

/** the ClickHouse code of an error, when it has one ('60', …), else undefined (a DOMException's legacy numeric code is not one) */
export function clickhouseCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: unknown } | null;
  const code = e?.code === undefined || e.code === null || e instanceof DOMException ? undefined : String(e.code);
  if (code && /^\d+$/.test(code)) return code;
  return e?.cause && e.cause !== error ? clickhouseCode(e.cause) : undefined;
}

export function classifyInsertFailure(error: unknown): InsertFailure {
  if (error instanceof HaiDangError) return error.retryable ? 'retry' : 'fatal';
  const code = clickhouseCode(error);
  if (code) return outageCodes.has(code) ? 'retry' : rowCodes.has(code) ? 'reject' : 'fatal';
  // no ClickHouse code: the request did not get a ClickHouse answer — a network error, a
  // timeout, or a proxy in front of ClickHouse answering 502/503/504 with its own page (or
  // nothing). All of these are the store being away, never the rows; anything else is a bug.
  return storeDidNotAnswer(error) ? 'retry' : 'fatal';
}

/** a short reason for logs and /readyz: `DECIMAL_OVERFLOW (407): Convert overflow…` */
export function describeFailure(error: unknown): string {
  const code = clickhouseCode(error);
  const name = code ? (outageCodes.get(code) ?? rowCodes.get(code) ?? (error as { type?: string }).type) : (error as { code?: string }).code;
  const message = String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 300);
  return code ? `${name ?? 'code'} (${code}): ${message}` : name ? `${name}: ${message}` : message;
}
