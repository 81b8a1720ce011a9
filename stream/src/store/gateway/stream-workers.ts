import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Answer, EngineError, emptySummary } from './engine.ts';

/**
 * The thread a streamed answer starts on. chDB's `StreamQuery` runs a query on the calling
 * thread until its first block: all of an aggregation, every scalar subquery. On the event
 * loop, one such query held every other request of the store — the workers' inserts, `/ping`
 * — for as long as it ran (the ninth round: `SELECT (SELECT sum(sleepEachRow(2)) FROM
 * numbers(10))` froze the store for 20 s; a dashboard's aggregation over a large table does
 * the same for seconds). So streamed answers start here, on worker threads that load the
 * same chDB and open their own connections to the same folder (chDB shares one engine per
 * process); a slow start holds one of these threads, never the event loop. Chunks come back
 * one at a time, as the client takes them.
 *
 * The worker is JavaScript evaluated from this text: the command line runs from a bundle, and
 * a worker file of its own would need one too.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const n = require(workerData.loader).loadNative();
const open = new Map();
const fail = (id, e) => parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
const finish = (id) => {
  const s = open.get(id);
  if (!s) return;
  open.delete(id);
  if (s.handle) { try { n.StreamCancel(s.handle); } catch {} }
  n.CloseConnection(s.conn);
};
async function next(id) {
  const s = open.get(id);
  if (!s) return parentPort.postMessage({ id, done: true });
  try {
    if (s.rest !== undefined) {
      // an answer chDB cannot stream, computed whole: one chunk, then the end
      const bytes = s.rest;
      s.rest = null;
      if (bytes === null) { finish(id); return parentPort.postMessage({ id, done: true }); }
      const copy = Uint8Array.from(bytes);
      return parentPort.postMessage({ id, bytes: copy, rows: 0 }, [copy.buffer]);
    }
    const c = await n.StreamFetch(s.handle);
    if (c.done) { finish(id); return parentPort.postMessage({ id, done: true }); }
    const copy = Uint8Array.from(c.bytes);
    parentPort.postMessage({ id, bytes: copy, rows: c.numRows }, [copy.buffer]);
  } catch (e) { finish(id); fail(id, e); }
}
async function start(m) {
  const conn = n.CreateConnection(workerData.path);
  const s = { conn };
  open.set(m.id, s);
  try {
    for (const q of m.setup) await n.QueryAsyncConnection(conn, q, 'TabSeparated');
    try {
      s.handle = n.StreamQuery(conn, m.sql, m.format, m.params);
    } catch (e) {
      if (!/^Code: 36\\./.test(String(e && e.message)) || !/Streaming query is not supported/.test(String(e && e.message))) throw e;
      s.rest = (await n.QueryAsyncConnection(conn, m.sql, m.format, m.params)).bytes;
    }
  } catch (e) { finish(m.id); return fail(m.id, e); }
  await next(m.id);
}
parentPort.on('message', (m) => {
  if (m.op === 'start') void start(m);
  else if (m.op === 'next') void next(m.id);
  else if (m.op === 'cancel') finish(m.id);
});
`;

interface Reply {
  id: number;
  bytes?: Uint8Array;
  rows?: number;
  done?: boolean;
  error?: string;
}

const toError = (message: string) => new EngineError(message, Number(/^Code: (\d+)\./.exec(message)?.[1] ?? 1001));

class StreamWorker {
  readonly worker: Worker;
  /** answers started here and not yet ended */
  open = 0;
  /** the thread has ended (an error it did not catch): its answers failed, a new one takes its place */
  dead = false;
  private readonly waiting = new Map<number, (r: Reply) => void>();

  constructor(loader: string, path: string) {
    this.worker = new Worker(workerSource, { eval: true, workerData: { loader, path } });
    this.worker.unref();
    this.worker.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      w?.(r);
    });
    const ended = (why: string) => {
      this.dead = true;
      for (const [id, w] of this.waiting) w({ id, error: `Code: 1001. DB::Exception: the query thread ended: ${why} (STD_EXCEPTION)` });
      this.waiting.clear();
    };
    this.worker.on('error', (e: Error) => ended(e.message));
    this.worker.on('exit', (code) => ended(`exit code ${code}`));
  }

  ask(id: number, message: Record<string, unknown>): Promise<Reply> {
    if (this.dead) return Promise.resolve({ id, error: 'Code: 1001. DB::Exception: the query thread ended (STD_EXCEPTION)' });
    return new Promise((ok) => {
      this.waiting.set(id, ok);
      this.worker.postMessage({ ...message, id });
    });
  }
}

export class StreamWorkers {
  private readonly workers: StreamWorker[];
  private readonly loader: string;
  private ids = 0;
  private closing = false;

  constructor(
    private readonly path: string,
    size = 4,
  ) {
    const require = createRequire(import.meta.url);
    this.loader = join(dirname(require.resolve('chdb')), 'dist', 'loader.js');
    this.workers = Array.from({ length: size }, () => new StreamWorker(this.loader, path));
  }

  /** the live thread with the fewest answers under way (an ended one is replaced first) */
  private pick(): StreamWorker {
    for (let i = 0; i < this.workers.length; i++) if (this.workers[i]!.dead && !this.closing) this.workers[i] = new StreamWorker(this.loader, this.path);
    return this.workers.reduce((a, b) => (b.open < a.open ? b : a));
  }

  /**
   * Runs `setup` (the request's SET and USE) and then `sql` on a connection of a worker
   * thread; resolves once the first chunk is in, so an error in the query surfaces before
   * anything is sent.
   */
  async query(setup: readonly string[], sql: string, format: string, params: Record<string, string>): Promise<Answer> {
    const w = this.pick();
    const id = ++this.ids;
    w.open++;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      w.open--;
    };
    const summary = emptySummary();
    const take = (r: Reply): Uint8Array | null => {
      if (r.error !== undefined) {
        end();
        throw toError(r.error);
      }
      if (r.done || !r.bytes) {
        end();
        return null;
      }
      summary.result_rows += r.rows ?? 0;
      summary.read_rows += r.rows ?? 0;
      summary.result_bytes += r.bytes.length;
      return r.bytes;
    };
    const first = take(await w.ask(id, { op: 'start', setup, sql, format, params: Object.keys(params).length ? params : undefined }));
    let given = false;
    return {
      summary,
      cancel: () => {
        if (ended) return;
        end();
        w.worker.postMessage({ op: 'cancel', id });
      },
      next: async () => {
        if (!given) {
          given = true;
          return first;
        }
        if (ended) return null;
        return take(await w.ask(id, { op: 'next' }));
      },
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
