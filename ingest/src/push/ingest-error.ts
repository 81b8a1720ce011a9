import { errorCodes, HaiDangError, type ErrorCode } from '@haidang/stream';

/** the ingest routes' codes: the catalogue's HD_INGEST_… entries (stream/src/errors.ts) */
export type IngestErrorCode = Extract<ErrorCode, `HD_INGEST_${string}`>;

/** the problem's `title` of each code, in words; status, retryability and documentation are the catalogue's */
const titles: Record<IngestErrorCode, string> = {
  HD_INGEST_NO_KEY: 'No API key',
  HD_INGEST_BAD_KEY: 'Unknown API key',
  HD_INGEST_STREAM_NOT_ALLOWED: 'Stream not allowed for this key',
  HD_INGEST_ENTITY_NOT_ALLOWED: 'Entity not allowed for this key',
  HD_INGEST_UNKNOWN_STREAM: 'No such stream',
  HD_INGEST_NOT_JSON: 'Body is not JSON',
  HD_INGEST_BAD_ENCODING: 'Body is not valid gzip',
  HD_INGEST_BAD_REQUEST: 'Invalid request',
  HD_INGEST_EMPTY: 'Nothing to ingest',
  HD_INGEST_TOO_LARGE: 'Too large',
  HD_INGEST_UNSUPPORTED: 'Unsupported media type',
  HD_INGEST_IDEMPOTENCY_CONFLICT: 'Idempotency-Key reused',
  HD_INGEST_BAD_FILE: 'File cannot be read',
  HD_INGEST_PARSE_TIMEOUT: 'File took too long to read',
  HD_INGEST_RATE_LIMITED: 'Too many requests',
  HD_INGEST_NOT_STORED: 'Not stored',
};

/**
 * Errors of the ingest routes, each with a stable code and the HTTP status it is answered
 * with. The plugin's error handler turns them into problem details (RFC 9457): `title` in
 * words, `code` the stable code.
 */
export const ingestErrorCodes = Object.fromEntries(
  (Object.keys(titles) as IngestErrorCode[]).map((code) => [code, { ...errorCodes[code], title: titles[code] }]),
) as { [K in IngestErrorCode]: (typeof errorCodes)[K] & { title: string } };

export class IngestError extends HaiDangError {
  declare readonly code: IngestErrorCode;
  constructor(code: IngestErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
    this.name = 'IngestError';
  }
  get title(): string {
    return titles[this.code];
  }
}
