/**
 * What went wrong talking to an external system. Whether retrying can help lives on the
 * error (kafkajs habit): the schedule's retry loop reads `retryable` and nothing else.
 */
export type PollerErrorCode =
  | 'HD_POLLER_TIMEOUT'
  | 'HD_POLLER_UNREACHABLE'
  | 'HD_POLLER_UPSTREAM_ERROR'
  | 'HD_POLLER_REFUSED'
  | 'HD_POLLER_MALFORMED_PAGE'
  | 'HD_POLLER_CONFIG_INVALID';

const retryable: Record<PollerErrorCode, boolean> = {
  HD_POLLER_TIMEOUT: true,
  HD_POLLER_UNREACHABLE: true,
  // 5xx and 429: the upstream may recover
  HD_POLLER_UPSTREAM_ERROR: true,
  // 4xx other than 429: a wrong token or URL; retrying the same request cannot help
  HD_POLLER_REFUSED: false,
  // a body we cannot read at all may be a half-written export: try again later
  HD_POLLER_MALFORMED_PAGE: true,
  HD_POLLER_CONFIG_INVALID: false,
};

export class PollerError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: PollerErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PollerError';
    this.retryable = retryable[code];
  }
}
