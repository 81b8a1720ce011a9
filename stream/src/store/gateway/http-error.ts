/** an answer the gateway refuses with, shaped as ClickHouse's: HTTP status, exception code, message */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
