import { PollerError } from './poller-error.ts';

export interface UpstreamHttpOptions {
  poller: string;
  timeoutMs: number;
  /** bearer token read from the environment variable the config names */
  token?: string | undefined;
}

/**
 * One GET to an external system with a deadline, classified into a PollerError: timeouts,
 * refused connections, 5xx and 429 are worth retrying; other 4xx are not. Node's fetch
 * (undici) is enough here: no keep-alive tuning is needed at one request per page.
 */
export class UpstreamHttp {
  constructor(private readonly o: UpstreamHttpOptions) {}

  /** the body as text, or null on 404 when `missingIsNull` (a bulletin not yet published) */
  async getText(url: string, accept: string, missingIsNull = false): Promise<string | null> {
    const headers: Record<string, string> = { accept };
    if (this.o.token) headers.authorization = `Bearer ${this.o.token}`;
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(this.o.timeoutMs) });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new PollerError('HD_POLLER_TIMEOUT', `${this.o.poller}: no answer from ${url} within ${this.o.timeoutMs} ms`, { url }, { cause: e });
      throw new PollerError('HD_POLLER_UNREACHABLE', `${this.o.poller}: cannot reach ${url}: ${err.message}`, { url }, { cause: e });
    }
    if (res.status === 404 && missingIsNull) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) {
      const detail = (await res.text().catch(() => '')).slice(0, 200);
      const code = res.status >= 500 || res.status === 429 ? 'HD_POLLER_UPSTREAM_ERROR' : 'HD_POLLER_REFUSED';
      throw new PollerError(code, `${this.o.poller}: ${url} answered ${res.status}${detail ? `: ${detail}` : ''}`, { url, status: res.status });
    }
    try {
      return await res.text();
    } catch (e) {
      throw new PollerError('HD_POLLER_TIMEOUT', `${this.o.poller}: body of ${url} not received within ${this.o.timeoutMs} ms`, { url }, { cause: e });
    }
  }

  async getJson(url: string, accept = 'application/json'): Promise<unknown> {
    const text = (await this.getText(url, accept))!;
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new PollerError('HD_POLLER_MALFORMED_PAGE', `${this.o.poller}: ${url} is not JSON: ${(e as Error).message}`, { url }, { cause: e });
    }
  }
}
