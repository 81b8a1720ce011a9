import type { Connection } from 'chdb/connection';
import type { Readable } from 'node:stream';
import type { ChdbRawInsert } from './bulk-insert.ts';

/** one chDB session as chdb/connection opens it, with the raw insert of its escape hatch */
export type ChdbSession = Connection<Readable> & { chdb: ChdbRawInsert };

interface Session {
  connection: ChdbSession;
  busy: number;
  /** settings the last statement SET on this session: they outlive it */
  set: Set<string>;
}

/**
 * Settings chdb/connection does not SET on the engine (HTTP-only ones it drops, and
 * `default_format`, which it passes as the call's format): nothing of them stays behind.
 */
const neverSet = new Set(['wait_end_of_query', 'send_progress_in_http_headers', 'http_response_buffer_size', 'http_headers_progress_interval_ms', 'http_send_progress_interval_ms', 'enable_http_compression', 'http_zlib_compression_level', 'http_response_compression_method', 'http_native_compression_disable_checksumming_on_decompress', 'default_format']);
const settingName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** a statement with the session's reset (`SET x = DEFAULT`, or none) in front, as chdb/connection puts its own SETs */
const after = (reset: string, query: string) => (reset ? `${reset}; ${query}` : query);

/** the settings a statement's call SETs on its session */
function setBy(settings: Record<string, unknown> | undefined): Set<string> {
  return new Set(Object.entries(settings ?? {}).flatMap(([k, v]) => (v !== undefined && !neverSet.has(k) && settingName.test(k) ? [k] : [])));
}

/**
 * Several chDB sessions on one data folder, used as one `@clickhouse/client` connection.
 *
 * One chDB session runs one statement at a time: two queries sent together take twice as
 * long (bench/chdb-side-by-side.ts). Sessions on the same folder share the engine, its tables and
 * their deduplication logs, and run side by side on their own threads. So each statement goes
 * to the session with the fewest statements in flight: a partition's id lookup no longer
 * waits behind another partition's insert, and a dashboard read no longer waits behind
 * either. Nothing here depends on which session ran a statement: every request states the
 * settings that must not leak (see client.ts), and no temporary table or session variable is
 * used.
 */
export class ChdbSessions implements Connection<Readable> {
  private readonly sessions: Session[];

  constructor(open: () => ChdbSession, size: number) {
    this.sessions = Array.from({ length: Math.max(1, size) }, () => ({ connection: open(), busy: 0, set: new Set<string>() }));
  }

  get size(): number {
    return this.sessions.length;
  }

  /** the idlest session runs `op`; ties go to the first, so a quiet store uses one session */
  private async pick<T>(op: (s: Session) => Promise<T>): Promise<T> {
    let s = this.sessions[0]!;
    for (const t of this.sessions) if (t.busy < s.busy) s = t;
    s.busy++;
    try {
      return await op(s);
    } finally {
      s.busy--;
    }
  }

  /**
   * A statement on the idlest session. chdb/connection applies a call's settings with SET, so
   * they stay on the session after the statement (an export's `date_time_output_format = 'iso'`
   * turned every later `toString` of a time on that session into ISO text). A setting the
   * session's last statement SET and this one does not is set back to its default in the same
   * statement (`reset`, put in front of it), so no other call's statement comes between the two.
   */
  private run<T>(settings: Record<string, unknown> | undefined, op: (c: ChdbSession, reset: string) => Promise<T>): Promise<T> {
    return this.pick((s) => {
      const mine = setBy(settings);
      const stale = [...s.set].filter((k) => !mine.has(k));
      // statements run on a session in the order they are handed to it: what it holds after this one is this one's
      s.set = mine;
      return op(s.connection, stale.length ? `SET ${stale.map((k) => `${k} = DEFAULT`).join(', ')}` : '');
    });
  }

  /** chDB's raw insert (the body handed over without a copy), on the idlest session; it takes no SQL, so a reset goes first on its own */
  readonly chdb: ChdbRawInsert = {
    rawInsert: (p) =>
      this.run(p.settings, async (c, reset) => {
        if (reset) await c.command({ query: reset } as Parameters<Connection<Readable>['command']>[0]);
        return c.chdb.rawInsert(p);
      }),
  };

  /** (a ping sets nothing and reads nothing a setting changes) */
  ping(params: Parameters<Connection<Readable>['ping']>[0]) {
    return this.pick((s) => s.connection.ping(params));
  }
  query(params: Parameters<Connection<Readable>['query']>[0]) {
    return this.run(params.clickhouse_settings, (c, reset) => c.query({ ...params, query: after(reset, params.query) }));
  }
  insert(params: Parameters<Connection<Readable>['insert']>[0]) {
    return this.run(params.clickhouse_settings, (c, reset) => c.insert({ ...params, query: after(reset, params.query) }));
  }
  command(params: Parameters<Connection<Readable>['command']>[0]) {
    return this.run(params.clickhouse_settings, (c, reset) => c.command({ ...params, query: after(reset, params.query) }));
  }
  exec(params: Parameters<Connection<Readable>['exec']>[0]) {
    return this.run(params.clickhouse_settings, (c, reset) => c.exec({ ...params, query: after(reset, params.query) }));
  }
  async close(): Promise<void> {
    for (const s of this.sessions) await s.connection.close();
  }
}
