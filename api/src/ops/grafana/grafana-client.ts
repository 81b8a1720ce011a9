import { errorCodes, type ErrorCode, type Logger } from '@haidang/stream';

/**
 * Why a call to Grafana's HTTP API failed; `code` is stable for scripts and tests (the
 * catalogue's HD_GRAFANA_… entries), `status` is what Grafana answered (null: no answer).
 */
export class GrafanaError extends Error {
  constructor(
    readonly code: Extract<ErrorCode, `HD_GRAFANA_${string}`>,
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'GrafanaError';
  }
  get retryable(): boolean {
    return errorCodes[this.code].retryable;
  }
}

export interface GrafanaClientOptions {
  /** Grafana's base URL, e.g. http://127.0.0.1:3000 (a sub-path is kept) */
  url: string;
  /** a service-account token (Editor role: dashboards and annotations) */
  token: string;
  logger: Logger;
  /** attempts for a 5xx, 429 or network failure, backing off 2× from retryDelayMs */
  attempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The few calls of Grafana's HTTP API that `haidang grafana sync` needs, over Node's fetch
 * (no client library: four JSON endpoints). Bearer token auth; a 5xx, 429 or network
 * failure is retried with backoff (dashboard saves overwrite, so they are idempotent; an
 * annotation POST whose answer was lost may be doubled, and the next sync updates by
 * episode tag either way); 401 and 403 stop at once with what to fix.
 */
export class GrafanaClient {
  private readonly base: string;
  constructor(private readonly o: GrafanaClientOptions) {
    this.base = o.url.replace(/\/+$/, '');
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const attempts = this.o.attempts ?? 4;
    let delay = this.o.retryDelayMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          method,
          headers: { Authorization: `Bearer ${this.o.token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 15_000),
        });
      } catch (e) {
        // fetch says only "fetch failed"; the socket's reason (ECONNREFUSED, a timeout) is its cause
        const why = String((e as { cause?: { code?: unknown } }).cause?.code ?? (e as Error).message);
        if (attempt >= attempts) throw new GrafanaError('HD_GRAFANA_UNAVAILABLE', `Grafana at ${this.base} did not answer ${method} ${path}: ${why}`, null);
        this.o.logger.warn({ err: why, attempt, retryInMs: delay }, `Grafana unreachable (${method} ${path}): retrying`);
        await sleep(delay);
        delay *= 2;
        continue;
      }
      const text = await res.text();
      if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
      const said = (() => {
        try {
          return String((JSON.parse(text) as { message?: unknown }).message ?? text);
        } catch {
          return text;
        }
      })().slice(0, 300);
      if (res.status === 401) throw new GrafanaError('HD_GRAFANA_UNAUTHORIZED', `Grafana refused the token (401 ${said}): use a valid service-account token (Administration → Service accounts) in the variable named by --token`, 401);
      if (res.status === 403) throw new GrafanaError('HD_GRAFANA_FORBIDDEN', `Grafana forbids ${method} ${path} (403 ${said}): the service account needs the Editor role`, 403);
      if ((res.status >= 500 || res.status === 429) && attempt < attempts) {
        this.o.logger.warn({ status: res.status, attempt, retryInMs: delay }, `Grafana answered ${res.status} to ${method} ${path}: retrying`);
        await sleep(delay);
        delay *= 2;
        continue;
      }
      const code = res.status >= 500 || res.status === 429 ? 'HD_GRAFANA_UNAVAILABLE' : 'HD_GRAFANA_REFUSED';
      throw new GrafanaError(code, `Grafana answered ${res.status} to ${method} ${path}: ${said}`, res.status);
    }
  }
}
