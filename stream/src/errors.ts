/**
 * The catalogue of Hải Đăng's errors: a stable code each, the HTTP status the api maps it to,
 * and whether retrying can help. Whether to retry lives on the error, never at the call site.
 */
export const errorCodes = {
  HD_CONFIG_INVALID: { status: 500, retriable: false, doc: 'An environment variable or flag has a wrong value; start-up stops and names it.' },
  HD_STORE_UNAVAILABLE: { status: 503, retriable: true, doc: 'ClickHouse (or chDB) could not be reached or did not answer; the batch is retried with the same deduplication token.' },
  HD_STORE_REJECTED: { status: 500, retriable: false, doc: 'ClickHouse refused rows of a batch; the rows are retried one by one and the refused ones dead-lettered.' },
  HD_STORE_FATAL: { status: 500, retriable: false, doc: 'ClickHouse refused a statement for a reason retrying cannot fix (schema, syntax, permissions); the service stops.' },
  HD_MIGRATION_FAILED: { status: 500, retriable: false, doc: 'A schema migration failed; nothing after it was applied.' },
  HD_MIGRATION_CHANGED: { status: 500, retriable: false, doc: 'An applied migration was edited afterwards (checksum differs); add a new migration instead.' },
  HD_TRANSPORT_UNAVAILABLE: { status: 503, retriable: true, doc: 'The Kafka broker could not be reached.' },
  HD_EVENT_CONFLICTING_ID: { status: 409, retriable: false, doc: 'An event arrived with the id of a stored event but other content (entity, time, source or numbers); it is dead-lettered. A correction needs a new id.' },
  HD_STORE_BUSY: { status: 503, retriable: true, doc: 'A read ran past its time limit (`max_execution_time`) and was stopped so that it cannot hold the engine; the api answers 503 with `Retry-After`.' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class HaiDangError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HaiDangError';
    this.code = code;
    this.context = context;
  }
  get retriable(): boolean {
    return errorCodes[this.code].retriable;
  }
  get status(): number {
    return errorCodes[this.code].status;
  }
}
