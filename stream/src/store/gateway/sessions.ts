import type { Connection, Engine } from './engine.ts';
import { HttpError } from './http-error.ts';

/**
 * ClickHouse's HTTP sessions (`session_id`): a session keeps its settings, current database
 * and temporary tables from one request to the next — here, its own chDB connection. One
 * query at a time per session (SESSION_IS_LOCKED, code 373, otherwise); closed after
 * `session_timeout` seconds unused (default 60, at most 3600 as ClickHouse's
 * max_session_timeout); `session_check=1` asks for an existing one (SESSION_NOT_FOUND, 372).
 */
interface Held {
  connection: Connection;
  busy: boolean;
  timeoutMs: number;
  timer?: NodeJS.Timeout;
}

export interface Lease {
  connection: Connection;
  /** ends this request's use: a session stays for its timeout, a one-off connection closes */
  release(): void;
}

export class Sessions {
  readonly #held = new Map<string, Held>();
  constructor(private readonly engine: Engine) {}

  /** the connection a request runs on: the session's, or a fresh one of its own */
  acquire(user: string, id: string | null, timeoutParam: string | null, check: boolean): Lease {
    if (!id) {
      const connection = this.engine.connect();
      return { connection, release: () => connection.close() };
    }
    const timeout = timeoutParam === null ? 60 : Number(timeoutParam);
    if (!Number.isFinite(timeout) || timeout < 0) throw new HttpError(400, 36, `Invalid session timeout: '${timeoutParam}' (BAD_ARGUMENTS)`);
    if (timeout > 3600) throw new HttpError(400, 36, `Session timeout '${timeout}' is larger than max_session_timeout: 3600. Maximum session timeout could be modified in configuration file. (BAD_ARGUMENTS)`);
    // sessions are per user, as in ClickHouse
    const key = `${user}\n${id}`;
    let held = this.#held.get(key);
    if (!held) {
      if (check) throw new HttpError(404, 372, `Session ${id} not found (SESSION_NOT_FOUND)`);
      held = { connection: this.engine.connect(), busy: false, timeoutMs: timeout * 1000 };
      this.#held.set(key, held);
    }
    if (held.busy) throw new HttpError(409, 373, `Session ${id} is locked by a concurrent client (SESSION_IS_LOCKED)`);
    held.busy = true;
    held.timeoutMs = timeout * 1000;
    clearTimeout(held.timer);
    const h = held;
    return {
      connection: h.connection,
      release: () => {
        h.busy = false;
        h.timer = setTimeout(() => this.#end(key, h), h.timeoutMs);
        h.timer.unref();
      },
    };
  }

  #end(key: string, h: Held): void {
    if (h.busy || this.#held.get(key) !== h) return;
    this.#held.delete(key);
    h.connection.close();
  }

  closeAll(): void {
    for (const [key, h] of this.#held) {
      clearTimeout(h.timer);
      this.#held.delete(key);
      h.connection.close();
    }
  }
}
