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

  /**
   * The idlest session runs `op`; ties go to the first, so a quiet store uses one session.
   * chdb/connection applies a call's settings with SET, so they stay on the session after
   * the statement (an export's `date_time_output_format = 'iso'` turned every later
   * `toString` of a time on that session into ISO text). A setting the session's last
   * statement SET and this one does not is set back to its default first (`settings`: the
   * call's own).
   */
  private async run<T>(settings: Record<string, unknown> | undefined, op: (c: ChdbSession) => Promise<T>): Promise<T> {
    let s = this.sessions[0]!;
    for (const t of this.sessions) if (t.busy < s.busy) s = t;
    s.busy++;
    const mine = setBy(settings);
    try {
      const stale = [...s.set].filter((k) => !mine.has(k));
      if (stale.length) await s.connection.command({ query: `SET ${stale.map((k) => `${k} = DEFAULT`).join(', ')}`, query_id: '' } as Parameters<Connection<Readable>['command']>[0]);
      // (set even when the statement fails: its SETs ran before it)
      s.set = mine;
      return await op(s.connection);
    } finally {
      s.busy--;
    }
  }

  /** chDB's raw insert (the body handed over without a copy), on the idlest session */
  readonly chdb: ChdbRawInsert = { rawInsert: (p) => this.run(p.settings, (c) => c.chdb.rawInsert(p)) };

  ping(params: Parameters<Connection<Readable>['ping']>[0]) {
    return this.run(undefined, (c) => c.ping(params));
  }
  query(params: Parameters<Connection<Readable>['query']>[0]) {
    return this.run(params.clickhouse_settings, (c) => c.query(params));
  }
  insert(params: Parameters<Connection<Readable>['insert']>[0]) {
    return this.run(params.clickhouse_settings, (c) => c.insert(params));
  }
  command(params: Parameters<Connection<Readable>['command']>[0]) {
    return this.run(params.clickhouse_settings, (c) => c.command(params));
  }
  exec(params: Parameters<Connection<Readable>['exec']>[0]) {
    return this.run(params.clickhouse_settings, (c) => c.exec(params));
  }
  async close(): Promise<void> {
    for (const s of this.sessions) await s.connection.close();
  }
}
