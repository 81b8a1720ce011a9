import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inEmptyWorkingDir } from '../empty-working-dir.ts';

/**
 * chDB's native connections, as the gateway uses them. A connection is cheap (well under a
 * millisecond) and carries its own settings, current database and temporary tables while
 * sharing the data of every other connection at the same path — so one connection per
 * request is what makes each request its own world, and a kept one is a session.
 *
 * chdb's public Session wraps the same calls but formats parameter values itself (turning
 * `it's` into `it\'s`) and accepts only text formats for raw inserts; the gateway hands chDB
 * the bytes and the parameter values exactly as the HTTP request carried them, which is what
 * ClickHouse's HTTP handler does.
 */
interface NativeResult {
  bytes: Uint8Array;
  elapsed: number;
  rowsRead: number;
  bytesRead: number;
}
interface NativeInsert {
  elapsed: number;
  rowsWritten: number;
  bytesWritten: number;
}
interface Native {
  CreateConnection(path: string): unknown;
  CloseConnection(conn: unknown): void;
  QueryAsyncConnection(conn: unknown, sql: string, format: string, params?: Record<string, string>): Promise<NativeResult>;
  InsertRawAsyncConnection(conn: unknown, prefix: string, data: Buffer, countLines: boolean): Promise<NativeInsert>;
}

let native: Native | undefined;
function loadNative(): Native {
  if (!native) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('chdb'));
    native = (require(join(root, 'dist', 'loader.js')) as { loadNative(): Native }).loadNative();
  }
  return native;
}

export interface Summary {
  read_rows: number;
  read_bytes: number;
  written_rows: number;
  written_bytes: number;
  result_rows: number;
  result_bytes: number;
  elapsed_ns: number;
}

export const emptySummary = (): Summary => ({ read_rows: 0, read_bytes: 0, written_rows: 0, written_bytes: 0, result_rows: 0, result_bytes: 0, elapsed_ns: 0 });

/** a query's answer: chunks of bytes in the output format, pulled one at a time */
export interface Answer {
  /** resolves to the next chunk, or null at the end; rejects with the engine's error */
  next(): Promise<Uint8Array | null>;
  cancel(): void;
  summary: Summary;
}

/** an error as chDB raised it: `Code: N. DB::Exception: … (NAME)` */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function engineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const code = Number(/^Code: (\d+)\./.exec(message)?.[1] ?? 1001);
  return new EngineError(message, code);
}

export class Connection {
  #conn: unknown;
  #busy = 0;
  #closeWhenIdle = false;
  constructor(
    private readonly n: Native,
    path: string,
  ) {
    this.#conn = n.CreateConnection(path);
  }

  async #track<T>(p: () => Promise<T>): Promise<T> {
    if (!this.#conn) throw new EngineError('Code: 1001. DB::Exception: the store is shutting down (STD_EXCEPTION)', 1001);
    this.#busy++;
    try {
      return await p();
    } catch (e) {
      throw engineError(e);
    } finally {
      this.#busy--;
      if (this.#busy === 0 && this.#closeWhenIdle) this.close();
    }
  }

  /** a statement whose answer is small or none (SET, USE, DDL, INSERT … SELECT) */
  run(sql: string, format = 'TabSeparated', params?: Record<string, string>): Promise<NativeResult> {
    return this.#track(() => this.n.QueryAsyncConnection(this.#conn, sql, format, params && Object.keys(params).length ? params : undefined));
  }

  /** `prefix` is the INSERT up to its format name; `data` goes to the format's parser untouched */
  insert(prefix: string, data: Buffer): Promise<NativeInsert> {
    return this.#track(() => this.n.InsertRawAsyncConnection(this.#conn, prefix, data, false));
  }

  /**
   * Runs a query to its end on chDB's own threads and gives its answer as one chunk: for an
   * answer sent whole anyway (wait_end_of_query, compression, HEAD) and a session's. A
   * streamed answer starts on a thread of its own (stream-workers.ts): `StreamQuery` runs the
   * query on the calling thread until its first block.
   */
  async queryWhole(sql: string, format: string, params: Record<string, string>): Promise<Answer> {
    const summary = emptySummary();
    const r = await this.run(sql, format, params);
    Object.assign(summary, { read_rows: r.rowsRead, read_bytes: r.bytesRead, elapsed_ns: Math.round(r.elapsed * 1e9), result_bytes: r.bytes.length });
    let given = false;
    return { summary, cancel: () => {}, next: async () => (given ? null : ((given = true), r.bytes)) };
  }

  /** released at once when idle, else as soon as the last call on it settles */
  close(): void {
    if (!this.#conn) return;
    if (this.#busy > 0) {
      this.#closeWhenIdle = true;
      return;
    }
    const c = this.#conn;
    this.#conn = undefined;
    this.n.CloseConnection(c);
  }
}

/** the store's engine: chDB on one data folder; `connect()` gives a fresh, isolated connection */
export class Engine {
  readonly #native = loadNative();
  readonly #anchor: Connection;
  constructor(readonly path: string) {
    // keeps the embedded server up between requests
    // started in an empty folder: a name that is no table is read as a file relative to it
    this.#anchor = inEmptyWorkingDir(() => new Connection(this.#native, path));
  }
  connect(): Connection {
    return new Connection(this.#native, this.path);
  }
  close(): void {
    this.#anchor.close();
  }
}
