import { dataStreams, type StreamName } from '../../contracts/registry.ts';
import { RecentIds } from '../recent-ids.ts';
import { heldIdsSql, newestIdSql, uuidsOf } from '../stored-ids.ts';
import { isUuidBytes } from '../uuid-text.ts';
import type { Engine } from './engine.ts';
import { isRead, type Work } from './work.ts';

/** `INSERT INTO <stream>_raw (id, …) FORMAT TabSeparated`, as the stream workers send it (and nothing looser) */
const rawInsert = /^INSERT\s+INTO\s+(?:default\.)?([a-z]+)_raw\s*\(\s*id\s*,[^)]*\)\s+FORMAT\s+(?:TabSeparated|TSV)\s*$/i;
const known = new Set<string>(dataStreams);

/**
 * Which ids the store holds, answered by the one process that writes its folder. `haidang
 * store` sees every statement that reaches chDB, so it can keep what the embedded processor
 * keeps (recent-ids.ts): the ids each stream-worker insert into `<stream>_raw` stored. A
 * chunk of new UUIDv7 events is then answered from memory, and only the ids it cannot rule
 * out (kept, older than the store's newest, not v7) are looked up in chDB — where every
 * worker used to send every chunk's ids to chDB as SQL text (2–3 µs an event, the price of
 * the uniqueness check with two workers: bench:peers).
 *
 * Sound only while nothing reaches the folder past it: any other statement that is not a
 * read (another insert form, a DELETE, a migration, the torn-insert completion) drops what is
 * kept once it has run, and the store is asked again. An insert that failed drops it too (a
 * view that refused may have left rows behind until the worker's undo).
 */
export class HeldIds {
  private readonly recent: RecentIds;
  /** statements under way that may write what this cannot read ids from */
  private foreign = 0;
  /** per stream, whether only the migrations' view writes its ids table and nothing but inserts write its raw table */
  private readonly trust = new Map<StreamName, Promise<boolean>>();

  constructor(private readonly engine: Engine) {
    this.recent = new RecentIds(async (stream) => Number((await this.rowsOf(newestIdSql(stream)))[0] ?? 0));
  }

  private async rowsOf(sql: string): Promise<string[]> {
    const c = this.engine.connect();
    try {
      // room for a chunk's ids in the text (a redelivered chunk: 20,000 ids, ~800 KB)
      if (sql.length > 200_000) await c.run(`SET max_query_size = ${sql.length * 2 + 65_536}`);
      return Buffer.from((await c.run(sql)).bytes).toString('latin1').split('\n').filter(Boolean);
    } finally {
      c.close();
    }
  }

  /**
   * Before a statement runs; the function it returns, after (ok: it succeeded). A worker's raw
   * insert keeps its ids once stored. Any other statement that may write is foreign: while one
   * runs, every id is asked of chDB (an INSERT … SELECT commits its blocks one by one), and
   * once it has run, what is kept is dropped. A failed insert is foreign too (a view that
   * refused may have left rows behind until the worker's undo).
   */
  begin(work: Work, database: string | null): (ok: boolean) => void {
    if (isRead(work) || ('query' in work && (work.kind === 'SET' || work.kind === 'USE'))) return () => {};
    const stream = 'insert' in work ? rawInsert.exec(work.insert.prefix)?.[1]?.toLowerCase() : undefined;
    const ours = stream !== undefined && (database === null || database === 'default') && known.has(stream);
    // inserts into tables no view of a stream reads (dead letters, log positions) write no stream's ids
    if (!ours && 'insert' in work && /^INSERT\s+INTO\s+(?:default\.)?`?(deadletter|log_positions)`?[\s(]/i.test(work.insert.prefix)) return () => {};
    if (ours) {
      return (ok) => {
        const ids = ok ? idsOf((work as Extract<Work, { insert: unknown }>).insert.data) : undefined;
        if (ids) this.recent.stored(stream as StreamName, ids);
        else this.drop();
      };
    }
    this.foreign++;
    return () => {
      this.foreign--;
      this.drop();
    };
  }

  private drop(): void {
    this.recent.forget();
    this.trust.clear();
  }

  /**
   * A view that writes a stream's ids table or raw table on its own — a refreshable view, a
   * view from another table — writes ids this never sees, on its own schedule: while one
   * exists, every id of that stream is asked of chDB. Read again after any foreign write.
   */
  private trusted(stream: StreamName): Promise<boolean> {
    let t = this.trust.get(stream);
    if (!t) {
      const targets = [`${stream}_ids_by_time`, `${stream}_raw`].map((n) => `'${n}'`).join(', ');
      t = this.rowsOf(
        `SELECT count() FROM system.tables WHERE engine = 'MaterializedView' AND name != '${stream}_ids_by_time_mv' AND (arrayExists(n -> position(create_table_query, concat(' TO ', database, '.', n, ' ')) > 0, [${targets}]) OR position(create_table_query, ' REFRESH ') > 0)`,
      ).then(
        ([n]) => n === '0',
        () => false,
      );
      this.trust.set(stream, t);
    }
    return t;
  }

  /** the ids of `ids` the stream's tables hold, lower-case */
  async held(stream: StreamName, ids: readonly string[]): Promise<string[]> {
    let ask = ids;
    if (!this.foreign && (await this.trusted(stream))) {
      await this.recent.prime(stream);
      // (a foreign write that began while the prime was read leaves every id to chDB)
      if (!this.foreign) ask = this.recent.toLookUp(stream, ids);
    }
    // only UUIDs reach the statement (and once each), checked on what memory could not rule out
    ask = uuidsOf(ask);
    if (!ask.length) return [];
    return this.rowsOf(heldIdsSql(stream, ask));
  }

  isStream(name: string): name is StreamName {
    return known.has(name);
  }
}

/** the first field of every TabSeparated line (a worker's raw rows start with the id); undefined if a line does not */
function idsOf(data: Buffer): string[] | undefined {
  const ids: string[] = [];
  for (let at = 0; at < data.length; ) {
    const end = data.indexOf(10, at);
    const lineEnd = end < 0 ? data.length : end;
    if (lineEnd > at && !(lineEnd === at + 1 && data[at] === 13)) {
      // a UUID as the workers write it (8-4-4-4-12); ClickHouse also reads 32 bare hex digits, which this does not take
      if (data[at + 36] !== 9 || !isUuidBytes(data, at)) return undefined;
      ids.push(data.toString('latin1', at, at + 36));
    }
    at = lineEnd + 1;
  }
  return ids;
}
