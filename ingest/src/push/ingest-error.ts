/**
 * Errors of the ingest routes, each with a stable code and the HTTP status it is answered
 * with. The plugin's error handler turns them into problem details (RFC 9457).
 */
export const ingestErrorCodes = {
  HD_INGEST_NO_KEY: { status: 401, doc: 'No API key: send `Authorization: Bearer <key>` or `X-Api-Key: <key>`.' },
  HD_INGEST_BAD_KEY: { status: 401, doc: 'The API key is unknown or revoked.' },
  HD_INGEST_STREAM_NOT_ALLOWED: { status: 403, doc: 'The key may not report this stream.' },
  HD_INGEST_ENTITY_NOT_ALLOWED: { status: 403, doc: 'The key may not report for this entity (facility, ward, market, agency).' },
  HD_INGEST_UNKNOWN_STREAM: { status: 404, doc: 'No such stream: capacity, vaccination, prices or dossiers.' },
  HD_INGEST_NOT_JSON: { status: 400, doc: 'The body is not JSON, or not one event object or an array of them.' },
  HD_INGEST_EMPTY: { status: 400, doc: 'Nothing to ingest: an empty array, or a file without rows.' },
  HD_INGEST_TOO_LARGE: { status: 413, doc: 'Too many events, too many bytes, rows or columns, or an XLSX that inflates too far.' },
  HD_INGEST_UNSUPPORTED: { status: 415, doc: 'Unsupported content type, content encoding or file type.' },
  HD_INGEST_IDEMPOTENCY_CONFLICT: { status: 422, doc: 'The Idempotency-Key was used before with a different body.' },
  HD_INGEST_BAD_FILE: { status: 422, doc: 'The file cannot be read: no header row, unknown or missing columns, a damaged XLSX.' },
  HD_INGEST_PARSE_TIMEOUT: { status: 422, doc: 'Parsing the file took longer than allowed.' },
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
}
