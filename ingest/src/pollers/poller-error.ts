import { HaiDangError, type ErrorCode } from '@haidang/stream';

/** the pollers' codes: the catalogue's HD_POLLER_… entries (stream/src/errors.ts) */
export type PollerErrorCode = Extract<ErrorCode, `HD_POLLER_${string}`>;

/**
 * What went wrong talking to an external system. Whether retrying can help lives on the
 * error (kafkajs habit), taken from the catalogue: the schedule's retry loop reads
 * `retryable` and nothing else.
 */
export class PollerError extends HaiDangError {
  declare readonly code: PollerErrorCode;
  constructor(code: PollerErrorCode, message: string, context: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(code, message, context, options);
    this.name = 'PollerError';
  }
}
