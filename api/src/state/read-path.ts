import type { ClickHouseClient } from '@clickhouse/client';
import { HaiDangError, type StreamName } from '@haidang/stream';

export interface ReadPathOptions {
  /**
   * How long an answer is served before a request refreshes it (it is served once more while
   * that one query runs). An api fed by the processor that stores the batches drops an answer
   * at the next stored batch of a stream it read (`stored`), so this is only a ceiling (default
   * 60 s, for questions relative to now); an api not told when batches are stored relies on it
   * alone, and keeps it short (2 s in `buildServer`).
   */
  ttlMs?: number | undefined;
  /** `max_execution_time` of a read, in seconds: a slower one is stopped and answered 503 */
  timeoutSeconds?: number;
  /** the `Retry-After` such a 503 carries */
  retryAfterSeconds?: number;
  /** answers kept at most (the oldest go first) */
  maxEntries?: number;
  /** bytes of JSON answers kept at most (the oldest go first; default 64 MiB) */
  maxAnswerBytes?: number;
}

interface Entry {
  streams: readonly StreamName[];
  rows: Promise<unknown[]>;
  /** past it, the next request starts a refresh (Infinity while the first answer is awaited) */
  expiresAt: number;
  refreshing?: boolean;
}

interface AnswerEntry {
  streams: readonly StreamName[];
  /** the newest observation time (ms) the answer reads; undefined: any (current state) */
  upTo: number | undefined;
  /** the answer as JSON text, built once */
  text: Promise<string>;
  /** past it, the next request builds it again (Infinity while it is built) */
  expiresAt: number;
  bytes: number;
}

/** ClickHouse's TIMEOUT_EXCEEDED (`max_execution_time` reached with `timeout_overflow_mode = 'throw'`) */
const timeoutExceeded = (e: unknown) => {
  const err = e as { code?: unknown; type?: unknown; message?: unknown };
  return err?.type === 'TIMEOUT_EXCEEDED' || err?.code === '159' || /\bTIMEOUT_EXCEEDED\b|Timeout exceeded: elapsed/.test(String(err?.message ?? ''));
};

/**
 * The api's read path for the stored streams. chDB in one process answers one query at a time
 * per session, so a burst of dashboards asking the same heavy question would queue behind one
 * another: identical reads in flight are answered by one query (keyed by SQL and parameters),
 * and an answer is kept until the next stored batch of a stream it read (at most `ttlMs`). Each
 * read carries `max_execution_time`, so one slow query cannot hold the engine: it is stopped
 * and answered HD_STORE_BUSY (503, `Retry-After`).
 */
export class ReadPath {
  readonly timeoutSeconds: number;
  readonly retryAfterSeconds: number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly entries = new Map<string, Entry>();
  private readonly answers = new Map<string, AnswerEntry>();
  private readonly maxAnswerBytes: number;
  private answerBytes = 0;
  /** per stream, how many batches were stored since start: kept rows are keyed by those they saw */
  private readonly generation = new Map<StreamName, number>();
  /** what the engine was actually asked, for the note and the tests */
  readonly counters = { queries: 0, shared: 0, timedOut: 0, answersBuilt: 0, answersServed: 0 };

  constructor(
    private readonly client: ClickHouseClient,
    o: ReadPathOptions = {},
  ) {
    this.ttlMs = o.ttlMs ?? 60_000;
    this.timeoutSeconds = o.timeoutSeconds ?? 5;
    this.retryAfterSeconds = o.retryAfterSeconds ?? 2;
    this.maxEntries = o.maxEntries ?? 200;
    this.maxAnswerBytes = o.maxAnswerBytes ?? 64 * 1024 * 1024;
  }

  /**
   * A batch of `stream` was stored, its oldest report observed at `oldestObserved` (ms; unknown:
   * undefined): the rows read from that stream are dropped, and so are its answers, except
   * those about a range that ended before anything in the batch was observed (a report of today
   * cannot change last quarter's series).
   */
  stored(stream: StreamName, oldestObserved?: number): void {
    this.generation.set(stream, (this.generation.get(stream) ?? 0) + 1);
    for (const [key, e] of this.entries) if (e.streams.includes(stream)) this.entries.delete(key);
    for (const [key, a] of this.answers) {
      if (!a.streams.includes(stream)) continue;
      if (a.upTo === undefined || oldestObserved === undefined || oldestObserved <= a.upTo) this.dropAnswer(key, a);
    }
  }

  /**
   * The JSON text of an answer built only from reads of `streams` and from what `key` names (a
   * request's URL): built once, and served as that text until the next stored batch of one of
   * those streams that it may read (or `ttlMs`): `upTo` is the newest observation time (ms) the
   * answer reads, for an answer about a range that has ended. Rebuilding a dashboard's answer
   * (hundreds of rows mapped, then serialised) for every request cost more CPU than the read
   * itself once the rows were kept. An answer still being built when a batch drops it is
   * never joined by a later request: that one builds its own.
   */
  answer(key: string, streams: readonly StreamName[], build: () => Promise<unknown>, upTo?: number): Promise<string> {
    // the key alone names the answer (a URL reads the same streams every time); no generation in
    // it: a stored batch removes the answers it may change (`stored`), so a later request builds anew
    const hit = this.answers.get(key);
    if (hit && hit.expiresAt > Date.now()) {
      this.counters.answersServed++;
      this.answers.delete(key);
      this.answers.set(key, hit);
      return hit.text;
    }
    if (hit) this.dropAnswer(key, hit);
    this.counters.answersBuilt++;
    const entry: AnswerEntry = { streams, upTo, text: build().then((a) => JSON.stringify(a)), expiresAt: Infinity, bytes: 0 };
    this.answers.set(key, entry);
    entry.text.then(
      (t) => {
        if (this.answers.get(key) !== entry) return;
        entry.expiresAt = Date.now() + this.ttlMs;
        entry.bytes = t.length;
        this.answerBytes += t.length;
        for (const [k, a] of this.answers) {
          if (this.answerBytes <= this.maxAnswerBytes && this.answers.size <= this.maxEntries) break;
          this.dropAnswer(k, a);
        }
      },
      () => this.answers.get(key) === entry && this.answers.delete(key),
    );
    return entry.text;
  }

  private dropAnswer(key: string, a: AnswerEntry): void {
    this.answers.delete(key);
    this.answerBytes -= a.bytes;
  }

  /** the rows of one SELECT (no FORMAT or SETTINGS clause of its own) that reads `streams` */
  rows<T>(query: string, params: Record<string, unknown>, streams: readonly StreamName[]): Promise<T[]> {
    // the generations seen are part of the key: a request that comes after a stored batch
    // never joins a query that started before it
    const key = JSON.stringify([query, params, streams.map((s) => this.generation.get(s) ?? 0)]);
    const hit = this.entries.get(key);
    if (hit) {
      this.counters.shared++;
      // most recently used last, so the oldest go first
      this.entries.delete(key);
      this.entries.set(key, hit);
      // past its ceiling: served once more while one query refreshes it, so the requests of
      // that moment do not all wait for the engine (a stored batch drops it instead: `stored`)
      if (hit.expiresAt <= Date.now() && !hit.refreshing) this.refresh(key, hit, query, params);
      return hit.rows as Promise<T[]>;
    }
    const entry: Entry = { streams, rows: Promise.resolve([]), expiresAt: Infinity };
    this.refresh(key, entry, query, params);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry.rows as Promise<T[]>;
  }

  /** asks the engine; a new entry shares the query while in flight, a kept one is replaced once answered */
  private refresh(key: string, entry: Entry, query: string, params: Record<string, unknown>): void {
    this.counters.queries++;
    const rows = this.select(query, params);
    const fresh = entry.expiresAt === Infinity;
    if (fresh) entry.rows = rows;
    else entry.refreshing = true;
    rows.then(
      () => {
        entry.rows = rows;
        entry.refreshing = false;
        entry.expiresAt = Date.now() + this.ttlMs;
      },
      // a failed read is not kept: the next request asks again
      () => this.entries.get(key) === entry && this.entries.delete(key),
    );
  }

  private async select<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    // a SETTINGS clause binds the limit to this query only (chDB would keep a SET on its session)
    const bounded = `SELECT * FROM (${query}) SETTINGS max_execution_time = ${this.timeoutSeconds}, timeout_overflow_mode = 'throw'`;
    try {
      const rs = await this.client.query({ query: bounded, query_params: params, format: 'JSONEachRow' });
      return await rs.json<T>();
    } catch (e) {
      if (!timeoutExceeded(e)) throw e;
      this.counters.timedOut++;
      throw new HaiDangError('HD_STORE_BUSY', `a read ran past ${this.timeoutSeconds} s and was stopped`, { retryAfterSeconds: this.retryAfterSeconds }, { cause: e });
    }
  }
}

/** the read path of each store client the api serves from (set by `buildServer`) */
const readPaths = new WeakMap<ClickHouseClient, ReadPath>();

export function attachReadPath(client: ClickHouseClient, o: ReadPathOptions = {}): { reads: ReadPath; detach(): void } {
  const reads = new ReadPath(client, o);
  readPaths.set(client, reads);
  return { reads, detach: () => readPaths.get(client) === reads && readPaths.delete(client) };
}

export function readPathOf(client: ClickHouseClient): ReadPath | undefined {
  return readPaths.get(client);
}
