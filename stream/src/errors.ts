/**
 * The catalogue of Hải Đăng's errors: a stable code each, the HTTP status the api maps it to,
 * whether retrying can help, and a line of documentation. It is the one list: the ingest,
 * poller, city-pack, Grafana and api problem codes and the dead-letter reasons (`deadLetter:
 * true`) are all taken from here. Whether to retry lives on the error (`retryable`), never at
 * the call site and never in its message. Every code is documented in README.md ("Errors"),
 * the dead-letter reasons also in docs/contracts.md; stream/test/error-catalogue.test.ts holds the
 * source to it (every code used is listed, every listed code is used).
 */
export const errorCodes = {
  // configuration and the store
  HD_CONFIG_INVALID: { status: 500, retryable: false, doc: 'An environment variable or flag has a wrong value; start-up stops and names it.' },
  HD_STORE_UNAVAILABLE: { status: 503, retryable: true, doc: 'ClickHouse (or chDB) could not be reached or did not answer; the batch is retried with the same deduplication token, the api answers 503 with Retry-After.' },
  HD_STORE_REJECTED: { status: 500, retryable: false, doc: 'ClickHouse refused rows of a batch; the rows are retried one by one and the refused ones dead-lettered.' },
  HD_STORE_FATAL: { status: 500, retryable: false, doc: 'ClickHouse refused a statement for a reason retrying cannot fix (schema, syntax, permissions); the service stops.' },
  HD_MIGRATION_FAILED: { status: 500, retryable: false, doc: 'A schema migration failed; nothing after it was applied.' },
  HD_MIGRATION_CHANGED: { status: 500, retryable: false, doc: 'An applied migration was edited afterwards (checksum differs); add a new migration instead.' },
  HD_TRANSPORT_UNAVAILABLE: { status: 503, retryable: true, doc: 'The Kafka broker could not be reached; the api answers 503 with Retry-After.' },
  HD_STORE_BUSY: { status: 503, retryable: true, doc: 'A read ran past its time limit (`max_execution_time`) and was stopped so that it cannot hold the engine; the api answers 503 with `Retry-After`.' },
  HD_INTERNAL: { status: 500, retryable: false, doc: 'A failure of Hải Đăng itself (a bug); retrying will not help, the server log has the details.' },

  // dead-letter reasons: why an event could not be stored (docs/contracts.md)
  HD_EVENT_NOT_JSON: { status: 400, retryable: false, deadLetter: true, doc: 'A message on a topic is empty or not valid JSON; dead-lettered.' },
  HD_EVENT_INVALID: { status: 400, retryable: false, deadLetter: true, doc: 'An event breaks its contract (a field missing, of the wrong type, out of range, unknown); dead-lettered.' },
  HD_EVENT_UNSUPPORTED_VERSION: { status: 400, retryable: false, deadLetter: true, doc: 'An event has a `version` this build does not read; dead-lettered.' },
  HD_EVENT_WRONG_TOPIC: { status: 400, retryable: false, deadLetter: true, doc: "An event's `stream` names another stream than its topic's; dead-lettered." },
  HD_EVENT_TOO_LARGE: { status: 413, retryable: false, deadLetter: true, doc: 'A message over 64 KiB; dead-lettered unparsed.' },
  HD_EVENT_REJECTED_BY_STORE: { status: 422, retryable: false, deadLetter: true, doc: 'A valid event ClickHouse refused for this row alone; dead-lettered, the rest of its batch stored.' },
  HD_EVENT_NOT_UTF8: { status: 400, retryable: false, deadLetter: true, doc: 'A message whose bytes are not valid UTF-8; dead-lettered.' },
  HD_EVENT_TOMBSTONE: { status: 400, retryable: false, deadLetter: true, doc: 'A null value (a Kafka tombstone) carries no event; dead-lettered.' },
  HD_BATCH_UNKNOWN_CODEC: { status: 400, retryable: false, deadLetter: true, doc: 'A Kafka record batch compressed with a codec this build cannot read; its records are dead-lettered.' },
  HD_BATCH_CORRUPT: { status: 400, retryable: false, deadLetter: true, doc: 'A Kafka record batch that does not decompress or whose records do not parse; dead-lettered.' },
  HD_EVENT_CONFLICTING_ID: { status: 409, retryable: false, deadLetter: true, doc: 'An event arrived with the id of a stored event but other content (entity, time, source or numbers); it is dead-lettered. A correction needs a new id.' },

  // the ingest routes (push, upload, templates)
  HD_INGEST_NO_KEY: { status: 401, retryable: false, doc: 'No API key: send `Authorization: Bearer <key>` or `X-Api-Key: <key>`.' },
  HD_INGEST_BAD_KEY: { status: 401, retryable: false, doc: 'The API key is unknown or revoked.' },
  HD_INGEST_STREAM_NOT_ALLOWED: { status: 403, retryable: false, doc: 'The key may not report this stream.' },
  HD_INGEST_ENTITY_NOT_ALLOWED: { status: 403, retryable: false, doc: 'The key may not report for this entity (facility, ward, market, agency, project).' },
  HD_INGEST_UNKNOWN_STREAM: { status: 404, retryable: false, doc: 'No such stream: capacity, vaccination, prices, dossiers or disbursement.' },
  HD_INGEST_NOT_JSON: { status: 400, retryable: false, doc: 'The body is not JSON (a UTF-8 BOM is allowed), is nested deeper than 32 levels, or is not one event object or an array of them.' },
  HD_INGEST_BAD_ENCODING: { status: 400, retryable: false, doc: 'The body says `Content-Encoding: gzip` but is not a complete gzip stream.' },
  HD_INGEST_BAD_REQUEST: { status: 400, retryable: false, doc: 'A header or query parameter has a wrong value (`Idempotency-Key`, `strict`), or an upload form is broken (cut short, no boundary, a second file).' },
  HD_INGEST_EMPTY: { status: 400, retryable: false, doc: 'Nothing to ingest: an empty array, or a file without rows.' },
  HD_INGEST_TOO_LARGE: { status: 413, retryable: false, doc: 'Too many events, too many bytes, rows or columns, or an XLSX that inflates too far.' },
  HD_INGEST_UNSUPPORTED: { status: 415, retryable: false, doc: 'Unsupported content type (send `application/json`, or `multipart/form-data` to /upload), content encoding or file type.' },
  HD_INGEST_IDEMPOTENCY_CONFLICT: { status: 422, retryable: false, doc: 'The Idempotency-Key was used before with a different body.' },
  HD_INGEST_BAD_FILE: { status: 422, retryable: false, doc: 'The file cannot be read: no header row, unknown or missing columns, a damaged XLSX.' },
  HD_INGEST_PARSE_TIMEOUT: { status: 422, retryable: false, doc: 'Parsing the file took longer than allowed.' },
  HD_INGEST_RATE_LIMITED: { status: 429, retryable: true, doc: 'Over a limit: pushes and uploads per verified key, or failed authentications per client address; `Retry-After` says when to try again.' },
  HD_INGEST_NOT_STORED: { status: 503, retryable: true, doc: 'The events could not be made durable (the log or the store did not answer); answered with `Retry-After`. Retry a push with the same Idempotency-Key; send an upload whole again (its problem says how many rows were accepted before).' },

  // the pollers: talking to external systems
  HD_POLLER_TIMEOUT: { status: 504, retryable: true, doc: 'An external system did not answer (or send its body) in time; retried with backoff.' },
  HD_POLLER_UNREACHABLE: { status: 502, retryable: true, doc: 'An external system could not be reached (refused, reset, no such host); retried with backoff.' },
  HD_POLLER_UPSTREAM_ERROR: { status: 502, retryable: true, doc: 'An external system answered 5xx or 429; it may recover, so the poll is retried.' },
  HD_POLLER_REFUSED: { status: 502, retryable: false, doc: 'An external system answered 4xx other than 429 (a wrong token or URL); retrying the same request cannot help.' },
  HD_POLLER_MALFORMED_PAGE: { status: 502, retryable: true, doc: 'An external system sent a page that cannot be read (not JSON, CSV or the expected shape, a next link leaving its origin); maybe half-written, so retried.' },
  HD_POLLER_CONFIG_INVALID: { status: 500, retryable: false, doc: 'The pollers config cannot be read or is wrong (a missing token variable, an unknown adapter); start-up stops and names it.' },

  // the city pack
  HD_PACK_INVALID: { status: 500, retryable: false, doc: 'The city pack has errors (each named by file, record and field); nothing starts on a pack that is half right.' },

  // Grafana (`haidang grafana sync`)
  HD_GRAFANA_UNAUTHORIZED: { status: 502, retryable: false, doc: 'Grafana refused the token (401): use a valid service-account token.' },
  HD_GRAFANA_FORBIDDEN: { status: 502, retryable: false, doc: 'Grafana forbids the call (403): the service account needs the Editor role.' },
  HD_GRAFANA_REFUSED: { status: 502, retryable: false, doc: 'Grafana answered 4xx to a dashboard or annotation.' },
  HD_GRAFANA_UNAVAILABLE: { status: 503, retryable: true, doc: 'Grafana could not be reached, or answered 5xx or 429 after the retries.' },

  // the api's answers that are not one of the above
  HD_BODY_NOT_JSON: { status: 400, retryable: false, doc: 'The request body says JSON but is not (or is nested too deep).' },
  HD_API_INVALID_REQUEST: { status: 400, retryable: false, doc: 'A parameter or body field is wrong; `errors` names each field (e.g. `querystring.step`).' },
  HD_API_UNAUTHENTICATED: { status: 401, retryable: false, doc: 'Sign in first, or the credentials (password, wall token) are wrong.' },
  HD_API_FORBIDDEN: { status: 403, retryable: false, doc: 'The role (or a read-only wall session) may not do this.' },
  HD_API_NOT_FOUND: { status: 404, retryable: false, doc: 'No such route, user, KPI, alert or wall token.' },
  HD_API_CONFLICT: { status: 409, retryable: false, doc: 'The change conflicts with what exists (a user already there, the last active admin).' },
  HD_API_TOO_LARGE: { status: 413, retryable: false, doc: 'The request or its answer is too large (a body over the limit, an XLSX export over its row limit).' },
  HD_API_UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, doc: 'The request body is not `application/json`, or is compressed (`Content-Encoding`).' },
  HD_RATE_LIMITED: { status: 429, retryable: true, doc: 'Too many requests (or failed sign-ins) from this address or account; `Retry-After` says when to try again.' },
  HD_SERVER_UNREACHABLE: { status: 503, retryable: true, doc: '`haidang import` could not reach the server at `--url` (refused, reset, no such host), or something else than Hải Đăng answered there.' },
  HD_API_NOT_HERE: { status: 503, retryable: false, doc: 'This api process lacks the part the request needs (no log attached to replay into); run it where the pipeline runs.' },
} as const satisfies Record<string, { status: number; retryable: boolean; doc: string; deadLetter?: true }>;

export type ErrorCode = keyof typeof errorCodes;

/** the dead-letter reasons: the catalogue's entries marked `deadLetter` */
export type DeadLetterCode = { [K in ErrorCode]: (typeof errorCodes)[K] extends { deadLetter: true } ? K : never }[ErrorCode];

export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(errorCodes, code);

export class HaiDangError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HaiDangError';
    this.code = code;
    this.context = context;
  }
  get retryable(): boolean {
    return errorCodes[this.code].retryable;
  }
  get status(): number {
    return errorCodes[this.code].status;
  }
}
