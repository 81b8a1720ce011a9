import { timingSafeEqual } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { answerEncoding, decodeBody, encodeAnswer } from './gateway/content-encoding.ts';
import { type Answer, type Connection, Engine, EngineError, emptySummary, type Summary } from './gateway/engine.ts';
import { HttpError } from './gateway/http-error.ts';
import { encodeFrames, decodeFrames } from './gateway/native-frames.ts';
import { nativeForProtocolClient } from './gateway/native-revision.ts';
import { readRequest, type GatewayRequest } from './gateway/request.ts';
import { contentType, httpStatus, sendError, summaryHeader } from './gateway/response.ts';
import { Sessions } from './gateway/sessions.ts';
import { ExternalData } from './gateway/external-data.ts';
import { sqlString as quote } from './sql-string.ts';
import { isRead, workOf, type Work } from './gateway/work.ts';
import { tokens } from './gateway/statement.ts';
import { parserOf, refuseHostAccess, refuseHostSettings } from './gateway/host-access.ts';
import { insertData, stagingDir } from './gateway/insert.ts';
import { HeldIds } from './gateway/held-ids.ts';
import { StreamWorkers } from './gateway/stream-workers.ts';
import { heldIdsPath } from './held-ids-endpoint.ts';

/**
 * `haidang store`: one process owns chDB (which opens a data folder from one process only)
 * and serves it over ClickHouse's HTTP interface, so every other process — and Grafana,
 * clickhouse-connect, clickhouse-go, clickhouse-jdbc, curl — talks to it as to a ClickHouse
 * server. Production uses a ClickHouse server; this is for several processes on one machine.
 *
 * Each request runs on a chDB connection of its own (settings, SET, current database and
 * temporary tables die with it) unless it names a `session_id`. The pieces:
 *   gateway/request.ts           URL and headers → what the request asks for
 *   gateway/work.ts              the query parameter and the body → one statement, or an INSERT and its data
 *   gateway/statement.ts         one statement only; where an INSERT's data starts
 *   gateway/insert.ts            an INSERT's data into chDB, as bytes
 *   gateway/content-encoding.ts  gzip, deflate, br, zstd, lz4 bodies and answers
 *   gateway/native-frames.ts     ClickHouse's compress=1 / decompress=1 block framing
 *   gateway/native-revision.ts   Native answers for client_protocol_version clients
 *   gateway/sessions.ts          session_id, session_timeout, SESSION_IS_LOCKED
 *   gateway/engine.ts            chDB's native connections, answers streamed as bytes
 *   gateway/response.ts          statuses, Content-Type, errors as ClickHouse sends them
 */
export interface GatewayOptions {
  dataDir: string;
  host: string;
  port: number;
  username: string;
  password: string;
  logger: Logger;
  /** largest request body accepted, bytes */
  maxBodyBytes?: number;
  /** a second account that may only read (readonly=1), for dashboards */
  readonlyUser?: { username: string; password: string };
  /**
   * every write to the folder comes through this gateway (`haidang store`): it then keeps the
   * ids the workers' inserts stored and answers `/haidang/held-ids` from them (gateway/held-ids.ts)
   */
  soleWriter?: boolean;
}

/**
 * The read-only account's statements at a time, and the longest one may run (s). Every chDB
 * call holds a thread of libuv's pool until it ends (UV_THREADPOOL_SIZE, 4 unless set before
 * the process starts: `npm start` and infra/run-distributed.sh set 16), so the account that
 * only reads keeps two of them free for the writers at least (the tenth round: four slow
 * reads held every insert).
 */
const threadPool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
const readonlyConcurrent = Math.max(1, Math.min(4, threadPool - 2));
const readonlyMaxSeconds = 60;

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new HttpError(413, 369, `The request body is over ${max} bytes (QUERY_IS_TOO_LARGE)`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const ident = (v: string) => `\`${v.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;

/**
 * A client that stops reading an answer is dropped after this long, as ClickHouse's
 * `http_send_timeout` does: it held its query, its thread and its place (the eleventh round:
 * four unread answers kept the read-only account at its limit for as long as they stayed open).
 */
const sendTimeoutMs = 30_000;

/** resolves when the socket can take more, or is gone (then the caller stops writing); a socket that takes nothing for `sendTimeoutMs` is closed */
function drained(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((ok) => {
    const done = () => {
      clearTimeout(stalled);
      res.off('drain', done);
      res.off('close', done);
      ok();
    };
    const stalled = setTimeout(() => {
      res.destroy();
      done();
    }, sendTimeoutMs);
    res.once('drain', done);
    res.once('close', done);
  });
}

export async function startGateway(o: GatewayOptions): Promise<Gateway> {
  const dir = resolve(o.dataDir);
  mkdirSync(dir, { recursive: true });
  const engine = new Engine(dir);
  const sessions = new Sessions(engine);
  const parser = parserOf(engine);
  const heldIds = o.soleWriter ? new HeldIds(engine) : undefined;
  const streams = new StreamWorkers(dir);
  const maxBody = o.maxBodyBytes ?? 256 * 1024 * 1024;
  const probe = engine.connect();
  const [timezone = 'UTC', version = ''] = Buffer.from((await probe.run('SELECT timezone(), version()')).bytes).toString().trim().split('\t');
  probe.close();
  const base = { 'X-ClickHouse-Server-Display-Name': hostname(), 'X-ClickHouse-Timezone': timezone };

  const account = (user: string, key: string): 'full' | 'readonly' | undefined => {
    if (same(user, o.username) && same(key, o.password)) return 'full';
    if (o.readonlyUser && same(user, o.readonlyUser.username) && same(key, o.readonlyUser.password)) return 'readonly';
    return undefined;
  };

  /** the SET that makes a connection this request's: our defaults, then the client's settings */
  /** the request's readonly level: the account's, else GET's 2 (1 if the client asked for stricter), else what it asked */
  function readonlyLevel(r: GatewayRequest, account: string | undefined): string | undefined {
    const asked = r.settings.find(([k]) => k === 'readonly')?.[1];
    return account ?? (r.method === 'GET' || r.method === 'HEAD' ? (asked === '1' ? '1' : '2') : asked);
  }

  /** the statements that make a connection this request's: our defaults, then the client's settings, and its database */
  function setupOf(r: GatewayRequest, level: string | undefined, account: string | undefined): string[] {
    // an INSERT's VALUES are literals, never expressions the engine would run (host-access.ts)
    const fixed: [string, string][] = [['input_format_tsv_detect_header', '0'], ['input_format_values_interpret_expressions', '0'], ['input_format_values_deduce_templates_of_expressions', '0']];
    const set: [string, string][] = [...fixed, ...r.settings.filter(([k]) => k !== 'readonly')];
    // the read-only account's queries end within a bound, whatever the client asks: each holds
    // one of the threads every statement of the store runs on until it ends
    if (account !== undefined) {
      const asked = Number(r.settings.find(([k]) => k === 'max_execution_time')?.[1] ?? 0);
      set.push(['max_execution_time', String(asked > 0 && asked < readonlyMaxSeconds ? asked : readonlyMaxSeconds)]);
    }
    // readonly cannot be lifted once set, so a session's connection never gets it: its
    // read-only requests are held to reading statements instead (checked in run())
    if (level !== undefined && level !== '0' && !r.sessionId) set.push(['readonly', level]);
    return [`SET ${set.map(([k, v]) => `${k} = ${quote(v)}`).join(', ')}`, ...(r.database ? [`USE ${ident(r.database)}`] : [])];
  }

  async function prepare(c: Connection, r: GatewayRequest, level: string | undefined, account: string | undefined): Promise<void> {
    for (const q of setupOf(r, level, account)) await c.run(q);
  }

  /** a session keeps SET between requests, but not the URL's settings: those are put back after */
  async function snapshot(c: Connection, r: GatewayRequest): Promise<string | undefined> {
    if (!r.sessionId || r.settings.length === 0) return undefined;
    const names = r.settings.map(([k]) => quote(k)).join(', ');
    const rows = Buffer.from((await c.run(`SELECT name, value, changed FROM system.settings WHERE name IN (${names})`)).bytes).toString().trim().split('\n').filter(Boolean);
    const back = rows.map((l) => l.split('\t')).map(([name, value, changed]) => `${name} = ${changed === '1' ? quote(value!.replace(/\\(.)/g, '$1')) : 'DEFAULT'}`);
    return back.length ? `SET ${back.join(', ')}` : undefined;
  }

  /** sends the answer; `settle` (the session's release) runs before the last byte, so a client's next request finds its session free */
  /** how the answer goes out: whole (buffered, then encoded) or streamed as chDB gives it */
  type Shape = ReturnType<typeof answerShape>;
  function answerShape(res: ServerResponse, r: GatewayRequest, format: string) {
    const encoding = r.httpCompression ? answerEncoding(res.req.headers['accept-encoding']) : undefined;
    const protocolNative = r.protocolVersion > 0 && /^native$/i.test(format);
    return { encoding, protocolNative, whole: r.waitEndOfQuery || r.compress || encoding !== undefined || r.method === 'HEAD' || protocolNative };
  }

  async function answer(res: ServerResponse, r: GatewayRequest, a: Answer, format: string, shape: Shape, headers: Record<string, string>, settle: () => Promise<void>): Promise<void> {
    const { encoding, protocolNative, whole } = shape;
    const h = { ...headers, 'Content-Type': contentType(format), 'X-ClickHouse-Format': format };
    if (whole) {
      const parts: Uint8Array[] = [];
      for (let c = await a.next(); c; c = await a.next()) parts.push(c);
      let body: Buffer = Buffer.concat(parts);
      if (protocolNative) body = nativeForProtocolClient(body, r.protocolVersion);
      if (r.compress) body = await encodeFrames(body);
      if (encoding) body = await encodeAnswer(body, encoding);
      await settle();
      res.writeHead(200, { ...h, ...(r.progressHeaders ? { 'X-ClickHouse-Progress': summaryHeader(a.summary) } : {}), 'X-ClickHouse-Summary': summaryHeader(a.summary), ...(encoding ? { 'Content-Encoding': encoding } : {}) });
      res.end(r.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(200, { ...h, 'X-ClickHouse-Summary': summaryHeader(a.summary) });
    for (let c = await a.next(); c; c = await a.next()) {
      if (!res.write(c)) await drained(res);
      if (res.destroyed) {
        a.cancel();
        return;
      }
    }
    await settle();
    res.end();
  }

  async function run(req: IncomingMessage, res: ServerResponse, r: GatewayRequest, readonly: string | undefined): Promise<void> {
    if (r.method === 'POST' && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      throw new HttpError(411, 381, 'The Transfer-Encoding is not chunked and there is no Content-Length header for POST request (HTTP_LENGTH_REQUIRED)');
    }
    let body: Buffer = r.method === 'POST' ? await readBody(req, maxBody) : Buffer.alloc(0);
    body = await decodeBody(body, req.headers['content-encoding'], maxBody);
    if (r.decompress) body = await decodeFrames(body, r.verifyChecksums, maxBody);
    // external data: the body is the tables, the statement is the `query` parameter alone;
    // refused to a read-only request before anything is staged
    const level = readonlyLevel(r, readonly);
    if (r.external && r.method === 'POST' && level !== undefined && level !== '0') {
      throw new HttpError(403, 164, 'External data needs an account that may write: haidang store reads each table from a file, and chDB refuses file() in readonly mode (READONLY)');
    }
    const external = r.external && r.method === 'POST' ? await ExternalData.stage(String(req.headers['content-type']), body, r.external) : undefined;
    try {
      await runWork(req, res, r, readonly, external ? workOf(r, Buffer.alloc(0)) : workOf(r, body), body.length, external);
    } finally {
      await external?.remove();
    }
  }

  async function runWork(req: IncomingMessage, res: ServerResponse, r: GatewayRequest, readonly: string | undefined, work: Work, bytes: number, external: ExternalData | undefined): Promise<void> {
    const headers = { ...base, 'X-ClickHouse-Query-Id': r.queryId };
    // before anything runs: no account reaches the host's files, network or programs
    refuseHostSettings(r.settings);
    await refuseHostAccess('insert' in work ? work.insert.prefix : work.query, r.params, parser);
    const level = readonlyLevel(r, readonly);
    // (INTO OUTFILE never gets here: refuseHostAccess refused it above)
    // `WITH … INSERT INTO t SELECT …` is an INSERT whatever its first word: a WITH that holds the word is not read as a read
    const reading = isRead(work);
    const setting = 'query' in work && work.kind === 'SET';
    // a read-only request reads: chDB's readonly mode lets KILL QUERY, UNDROP and ALTER DATABASE
    // … MODIFY COMMENT through (the ninth round), so nothing but a reading statement is run
    // (and SET at readonly=2, USE for a session's database)
    const use = 'query' in work && work.kind === 'USE';
    if (level !== undefined && level !== '0' && ('insert' in work || (!reading && !use && !(setting && level === '2')))) {
      throw new HttpError(403, 164, `Cannot execute query in readonly mode. For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries (READONLY)`);
    }
    // a session's connection never gets readonly (it could not be lifted for the session's
    // POSTs), so the read-only account's statement may not carry settings of its own there: a
    // SETTINGS clause lifted its 60 s bound (the eleventh round)
    if (readonly !== undefined && r.sessionId && 'query' in work && tokens(work.query).some((t, i, l) => t.type === 'word' && /^settings$/i.test(t.text) && l[i - 1]?.text !== '.')) {
      throw new HttpError(403, 164, 'Cannot modify settings in readonly mode: the read-only account sets them in the URL, not in the statement (READONLY)');
    }
    o.logger.debug({ url: req.url, queryId: r.queryId, session: r.sessionId, method: r.method, query: 'insert' in work ? work.insert.prefix : work.query.slice(0, 200), bytes, external: external?.size }, 'request');
    const lease = sessions.acquire(r.user, r.sessionId, r.sessionTimeout, r.sessionCheck);
    const c = lease.connection;
    let restore: string | undefined;
    let a: Answer | undefined;
    let settled = false;
    let ok = false;
    // what this statement may write is known to the held ids before and after it runs
    const finished = heldIds?.begin(work, r.database);
    const settle = async () => {
      if (settled) return;
      settled = true;
      a?.cancel();
      if (restore) await c.run(restore).catch(() => {});
      lease.release();
    };
    try {
      restore = await snapshot(c, r);
      await prepare(c, r, level, readonly);
      if ('insert' in work) {
        const summary: Summary = emptySummary();
        if (work.insert.data.some((b) => b !== 32 && b !== 10 && b !== 13 && b !== 9)) {
          const w = await insertData(c, work.insert);
          Object.assign(summary, { read_rows: w.rows, read_bytes: work.insert.data.length, written_rows: w.rows, written_bytes: w.bytes, elapsed_ns: Math.round(w.elapsed * 1e9) });
        }
        ok = true;
        finished?.(true);
        await settle();
        res.writeHead(200, { ...headers, 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Summary': summaryHeader(summary) }).end();
        return;
      }
      // an answer sent whole is computed whole on chDB's threads, a streamed one starts on a
      // thread of its own (stream-workers.ts): the event loop keeps serving either way. A
      // session's statements run on its own connection, so its answers are computed whole.
      const shape = answerShape(res, r, work.format);
      const query = external ? external.around(work) : work.query;
      a = shape.whole || r.sessionId ? await c.queryWhole(query, work.format, r.params) : await streams.query(setupOf(r, level, readonly), query, work.format, r.params);
      await answer(res, r, a, work.format, shape, headers, settle);
    } finally {
      // a statement that may have written (or an insert that failed part way) is known before the next lookup is answered
      if (!ok) finished?.('query' in work);
      await settle();
    }
  }

  /** `/haidang/held-ids?stream=…`: which of the body's ids (one a line) the stream's tables hold, one a line */
  async function answerHeldIds(req: IncomingMessage, res: ServerResponse, memory: HeldIds): Promise<void> {
    const stream = new URL(req.url ?? '/', 'http://store').searchParams.get('stream') ?? '';
    if (!memory.isStream(stream)) throw new HttpError(400, 60, `No stream ${JSON.stringify(stream.slice(0, 100))}: held ids are asked of a stream's name (UNKNOWN_TABLE)`);
    const body = await readBody(req, maxBody);
    const held = await memory.held(stream, body.toString('latin1').split('\n'));
    res.writeHead(200, { ...base, 'Content-Type': 'text/plain; charset=UTF-8' }).end(held.join('\n'));
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const r = readRequest(req);
    const plain = { ...base, 'Content-Type': 'text/plain; charset=UTF-8' };
    if (r.path === '/ping' || r.path === '/replicas_status' || (r.path === '/' && r.urlQuery === null && (r.method === 'GET' || r.method === 'HEAD'))) {
      res.writeHead(200, plain).end(r.method === 'HEAD' ? undefined : 'Ok.\n');
      return;
    }
    const who = account(r.user, r.key);
    if (!who) throw new HttpError(403, 516, `${r.user}: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)`);
    if (r.path === heldIdsPath && heldIds && r.method === 'POST') {
      if (who !== 'full') throw new HttpError(403, 164, 'Held ids are for the account that writes (READONLY)');
      await answerHeldIds(req, res, heldIds);
      return;
    }
    if (r.path !== '/' || !['GET', 'POST', 'HEAD'].includes(r.method)) {
      throw new HttpError(404, 0, `There is no handle ${r.path} for ${r.method}. Use / for queries, /ping for health checks. (UNKNOWN_HANDLER)`);
    }
    if (who === 'full') return run(req, res, r, undefined);
    // the read-only account (dashboards) runs a few statements at a time: the rest of the
    // threads stay for the writers (ClickHouse: max_concurrent_queries_for_user)
    if (readonlyInFlight >= readonlyConcurrent) throw new HttpError(503, 202, `Too many simultaneous queries for the read-only account: at most ${readonlyConcurrent} at a time (TOO_MANY_SIMULTANEOUS_QUERIES)`);
    readonlyInFlight++;
    try {
      await run(req, res, r, '1');
    } finally {
      readonlyInFlight--;
    }
  };
  let readonlyInFlight = 0;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const err = e instanceof HttpError || e instanceof EngineError ? e : new EngineError(`Code: 1001. DB::Exception: ${(e as Error)?.message ?? String(e)} (STD_EXCEPTION)`, 1001);
      const status = err instanceof HttpError ? err.status : httpStatus(err.code);
      o.logger.debug({ err: err.message, code: err.code }, 'query failed');
      const message = /^Code: \d+\./.test(err.message) ? err.message : `Code: ${err.code}. DB::Exception: ${err.message}${version ? ` (version ${version})` : ''}`;
      sendError(res, status, err.code, message, { ...base });
      req.resume();
    });
  });
  server.requestTimeout = 300_000;
  server.headersTimeout = 60_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port, o.host, () => ok());
  });
  const { port } = server.address() as { port: number };
  const url = `http://${o.host}:${port}`;
  o.logger.info({ url, dataDir: dir }, `store gateway: chDB in ${dir} served as ClickHouse HTTP on ${url}`);
  return {
    url,
    close: async () => {
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeIdleConnections();
      // requests under way get a moment to finish, then their sockets are closed
      await Promise.race([closed, new Promise((ok) => setTimeout(ok, 5000).unref())]);
      server.closeAllConnections();
      await closed;
      sessions.closeAll();
      await streams.close();
      engine.close();
      rmSync(stagingDir(), { recursive: true, force: true });
    },
  };
}
