import { HaiDangError, isErrorCode } from './errors.ts';
import { clickhouseCode, outageCodes, rowCodes } from './store/insert-failure.ts';

/** system error codes (Node, undici) of a peer that cannot be reached or went away */
const unreachable = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** system error codes of a listener that cannot take its port: a setting to change, not a fault */
const portTaken: Record<string, string> = { EADDRINUSE: 'is already in use', EACCES: 'may not be opened by this user', EADDRNOTAVAIL: 'is not an address of this machine' };

/** kafkajs's error classes that mean "the broker is not answering" */
const brokerAway = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSNumberOfRetriesExceeded', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound', 'KafkaJSLockTimeout']);

type Cause = { name?: unknown; code?: unknown; errno?: unknown; cause?: unknown; originalError?: unknown } | null | undefined;

/** the error and its causes (`cause`, kafkajs's `originalError`), nearest first */
function chain(error: unknown): Cause[] {
  const out: Cause[] = [];
  let e = error as Cause;
  while (e && typeof e === 'object' && out.length < 8 && !out.includes(e)) {
    out.push(e);
    e = (e.cause ?? e.originalError) as Cause;
  }
  return out;
}

/**
 * Any error as one of the catalogue's: ours as it is; one carrying a catalogued code (a
 * GrafanaError, a worker's refusal) with that code; a broker that cannot be reached as
 * HD_TRANSPORT_UNAVAILABLE; a port that cannot be listened on as HD_CONFIG_INVALID; a store that cannot be reached (a system code, or a ClickHouse
 * code of an outage) as HD_STORE_UNAVAILABLE, one refusing rows as HD_STORE_REJECTED, any
 * other ClickHouse code as HD_STORE_FATAL; anything else as HD_INTERNAL. Decided from names
 * and codes the errors carry, never from their messages. The api's problem answers and the
 * commands' one-line errors both go through here.
 */
export function errorOf(error: unknown): HaiDangError {
  if (error instanceof HaiDangError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const own = (error as Cause)?.code;
  if (isErrorCode(own)) return new HaiDangError(own, message, {}, { cause: error });
  const listen = error as { syscall?: unknown; address?: unknown; port?: unknown };
  if (listen?.syscall === 'listen' && typeof own === 'string' && portTaken[own]) {
    return new HaiDangError('HD_CONFIG_INVALID', `${listen.address}:${listen.port} ${portTaken[own]}: set another port (HAIDANG_PORT, HAIDANG_OPS_PORT or HAIDANG_STORE_PORT, or their flags)`, {}, { cause: error });
  }
  const links = chain(error);
  if (links.some((e) => brokerAway.has(String(e?.name)))) return new HaiDangError('HD_TRANSPORT_UNAVAILABLE', message, {}, { cause: error });
  const ch = clickhouseCode(error);
  if (ch) {
    const code = outageCodes.has(ch) ? 'HD_STORE_UNAVAILABLE' : rowCodes.has(ch) ? 'HD_STORE_REJECTED' : 'HD_STORE_FATAL';
    return new HaiDangError(code, message, { clickhouseCode: ch }, { cause: error });
  }
  if (links.some((e) => unreachable.has(String(e?.code)))) return new HaiDangError('HD_STORE_UNAVAILABLE', message, {}, { cause: error });
  return new HaiDangError('HD_INTERNAL', message, {}, { cause: error });
}

/** `HD_STORE_UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:1 (retryable)`: one line for a terminal */
export function oneLine(error: HaiDangError): string {
  const text = error.message.split('\n').map((l) => l.trim()).filter(Boolean).join('; ').replace(/:;/g, ':') || error.name;
  return `${error.code}: ${text} (${error.retryable ? 'retryable' : 'not retryable'})`;
}
