/**
 * Errors of the ingest routes, each with a stable code and the HTTP status it is answered
 * with. The plugin's error handler turns them into problem details (RFC 9457): `title` in
 * words, `code` the stable code.
 */
export const ingestErrorCodes = {
  HD_INGEST_NO_KEY: { status: 401, title: 'No API key', doc: 'No API key: send `Authorization: Bearer <key>` or `X-Api-Key: <key>`.' },
  HD_INGEST_BAD_KEY: { status: 401, title: 'Unknown API key', doc: 'The API key is unknown or revoked.' },
  HD_INGEST_STREAM_NOT_ALLOWED: { status: 403, title: 'Stream not allowed for this key', doc: 'The key may not report this stream.' },
  HD_INGEST_ENTITY_NOT_ALLOWED: { status: 403, title: 'Entity not allowed for this key', doc: 'The key may not report for this entity (facility, ward, market, agency).' },
  HD_INGEST_UNKNOWN_STREAM: { status: 404, title: 'No such stream', doc: 'No such stream: capacity, vaccination, prices or dossiers.' },
  HD_INGEST_NOT_JSON: { status: 400, title: 'Body is not JSON', doc: 'The body is not JSON (a UTF-8 BOM is allowed), is nested deeper than 32 levels, or is not one event object or an array of them.' },
  HD_INGEST_BAD_ENCODING: { status: 400, title: 'Body is not valid gzip', doc: 'The body says `Content-Encoding: gzip` but is not a complete gzip stream.' },
  HD_INGEST_BAD_REQUEST: { status: 400, title: 'Invalid request', doc: 'A header or query parameter has a wrong value (`Idempotency-Key`, `strict`).' },
  HD_INGEST_EMPTY: { status: 400, title: 'Nothing to ingest', doc: 'Nothing to ingest: an empty array, or a file without rows.' },
  HD_INGEST_TOO_LARGE: { status: 413, title: 'Too large', doc: 'Too many events, too many bytes, rows or columns, or an XLSX that inflates too far.' },
  HD_INGEST_UNSUPPORTED: { status: 415, title: 'Unsupported media type', doc: 'Unsupported content type (send `application/json`, or `multipart/form-data` to /upload), content encoding or file type.' },
  HD_INGEST_IDEMPOTENCY_CONFLICT: { status: 422, title: 'Idempotency-Key reused', doc: 'The Idempotency-Key was used before with a different body.' },
  HD_INGEST_BAD_FILE: { status: 422, title: 'File cannot be read', doc: 'The file cannot be read: no header row, unknown or missing columns, a damaged XLSX.' },
  HD_INGEST_PARSE_TIMEOUT: { status: 422, title: 'File took too long to read', doc: 'Parsing the file took longer than allowed.' },
  HD_INGEST_RATE_LIMITED: { status: 429, title: 'Too many requests', doc: 'Over a limit: pushes and uploads per verified key, or failed authentications per client address; `Retry-After` says when to try again.' },
  HD_INGEST_NOT_STORED: { status: 503, title: 'Not stored', doc: 'The events could not be made durable (the log or the store did not answer); retry with the same Idempotency-Key.' },
} as const;

export type IngestErrorCode = keyof typeof ingestErrorCodes;

export class IngestError extends Error {
  readonly code: IngestErrorCode;
  readonly context: Record<string, unknown>;
  constructor(code: IngestErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = 'IngestError';
    this.code = code;
    this.context = context;
  }
  get status(): number {
    return ingestErrorCodes[this.code].status;
  }
  get title(): string {
    return ingestErrorCodes[this.code].title;
  }
}
