import { parseError } from '@clickhouse/client';

/** where `haidang store` answers which ids it holds (gateway/held-ids.ts) */
export const heldIdsPath = '/haidang/held-ids';

/**
 * A stream worker's way to ask `haidang store` which ids it holds: the ids go as the body of
 * one POST, and the store answers the ones it cannot rule out from memory with one lookup.
 * A ClickHouse server has no such path (404): then, and from then on, the caller asks in SQL.
 */
export class HeldIdsEndpoint {
  private supported: boolean | undefined;

  constructor(
    private readonly url: string,
    private readonly authorization: string,
    /** as the client's request_timeout: a store that does not answer is an outage, retried */
    private readonly timeoutMs = 60_000,
  ) {}

  /** the held ids (lower-case), or undefined when the store does not answer this path */
  async held(stream: string, ids: readonly string[]): Promise<string[] | undefined> {
    if (this.supported === false) return undefined;
    const res = await fetch(`${this.url}${heldIdsPath}?stream=${encodeURIComponent(stream)}`, { method: 'POST', headers: { authorization: this.authorization, 'content-type': 'text/plain' }, body: ids.join('\n'), signal: AbortSignal.timeout(this.timeoutMs) });
    const text = await res.text();
    if (res.status === 404) {
      this.supported = false;
      return undefined;
    }
    // the store's own errors, as ClickHouse words them: classified like any store error (an outage is retried)
    if (res.status !== 200) throw parseError(text);
    this.supported = true;
    return text.split('\n').filter(Boolean);
  }
}
