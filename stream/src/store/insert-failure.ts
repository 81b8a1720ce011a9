import { HaiDangError } from '../errors.ts';

/**
 * What to do when an insert fails, decided from the error alone:
 *  - `retry`: the store is unreachable, overloaded or the answer was lost (unknown outcome):
 *    pause and resend the same rows with the same deduplication token;
 *  - `reject`: the store refused the data itself: split the batch and dead-letter the rows it refuses;
 *  - `fatal`: schema, syntax or permission errors no retry can fix: stop the service.
 */
export type InsertFailure = 'retry' | 'reject' | 'fatal';

/** ClickHouse error codes (src/Common/ErrorCodes.cpp) that mean "try again later". */
const retriableCodes = new Set([
  '159', // TIMEOUT_EXCEEDED
  '164', // READONLY
  '202', // TOO_MANY_SIMULTANEOUS_QUERIES
  '209', // SOCKET_TIMEOUT
  '210', // NETWORK_ERROR
  '241', // MEMORY_LIMIT_EXCEEDED
  '252', // TOO_MANY_PARTS
  '425', // SYSTEM_ERROR
  '439', // CANNOT_SCHEDULE_TASK
  '242', // TABLE_IS_READ_ONLY
  '319', // UNKNOWN_STATUS_OF_INSERT
  '999', // KEEPER_EXCEPTION
]);

/** codes that mean the rows themselves are wrong (469: VIOLATED_CONSTRAINT, a CHECK a row fails) */
const rejectCodes = new Set(['6', '26', '27', '38', '41', '53', '69', '70', '72', '117', '321', '344', '395', '469', '636']);

const retriableSystem = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export function classifyInsertFailure(error: unknown): InsertFailure {
  if (error instanceof HaiDangError) return error.retriable ? 'retry' : 'fatal';
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = e?.code === undefined ? undefined : String(e.code);
  if (code && retriableSystem.has(code)) return 'retry';
  if (e?.cause?.code && retriableSystem.has(String(e.cause.code))) return 'retry';
  if (code && retriableCodes.has(code)) return 'retry';
  if (code && rejectCodes.has(code)) return 'reject';
  const msg = String(e?.message ?? '');
  if (/socket hang up|timeout|ECONNRESET|ECONNREFUSED|Timeout error|aborted/i.test(msg)) return 'retry';
  // a proxy or load balancer in front of ClickHouse answers 502/503/504 with its own page, or
  // nothing: the client then throws the body as a plain Error, without a ClickHouse code
  if (!code && (/Bad Gateway|Service (Temporarily )?Unavailable|Gateway Time-?out|\b50[234]\b/i.test(msg) || msg.trim() === '')) return 'retry';
  if (/Cannot parse|Cannot read|incorrect data|out of range|Type mismatch/i.test(msg)) return 'reject';
  return 'fatal';
}
