import type { Connection } from 'chdb/connection';
import type { Readable } from 'node:stream';
import type { ChdbRawInsert } from './bulk-insert.ts';

/** one chDB session as chdb/connection opens it, with the raw insert of its escape hatch */
export type ChdbSession = Connection<Readable> & { chdb: ChdbRawInsert };

interface Session {
  connection: ChdbSession;
  busy: number;
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
    this.sessions = Array.from({ length: Math.max(1, size) }, () => ({ connection: open(), busy: 0 }));
  }

  get size(): number {
    return this.sessions.length;
  }

  /** the idlest session runs `op`; ties go to the first, so a quiet store uses one session */
  private run<T>(op: (c: ChdbSession) => Promise<T>): Promise<T> {
    let s = this.sessions[0]!;
    for (const t of this.sessions) if (t.busy < s.busy) s = t;
    s.busy++;
    return op(s.connection).finally(() => {
      s.busy--;
    });
  }

  /** chDB's raw insert (the body handed over without a copy), on the idlest session */
  readonly chdb: ChdbRawInsert = { rawInsert: (p) => this.run((c) => c.chdb.rawInsert(p)) };

  ping(params: Parameters<Connection<Readable>['ping']>[0]) {
    return this.run((c) => c.ping(params));
  }
  query(params: Parameters<Connection<Readable>['query']>[0]) {
    return this.run((c) => c.query(params));
  }
  insert(params: Parameters<Connection<Readable>['insert']>[0]) {
    return this.run((c) => c.insert(params));
  }
  command(params: Parameters<Connection<Readable>['command']>[0]) {
    return this.run((c) => c.command(params));
  }
  exec(params: Parameters<Connection<Readable>['exec']>[0]) {
    return this.run((c) => c.exec(params));
  }
  async close(): Promise<void> {
    for (const s of this.sessions) await s.connection.close();
  }
}
