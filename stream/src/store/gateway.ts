import { randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { bulkInsertInto, type ChdbRawInsert } from './bulk-insert.ts';

/**
 * `haidang store`: one process owns chDB (which opens a data folder from one process only)
 * and answers the part of ClickHouse's HTTP interface that `@clickhouse/client` uses, so
 * every other process keeps the CLICKHOUSE_URL code path it uses against a real server.
 * Production uses a ClickHouse server; this is for several processes on one machine.
 *
 *   GET /ping                       → "Ok.\n"
 *   POST /?query=INSERT…FORMAT X    body = data          (client.insert)
 *   POST /?param_x=…&<setting>=…    body = the query     (client.query / command / exec)
 * Query parameters (`param_*`), settings (any other URL parameter), `query_id`; the
 * X-ClickHouse-Query-Id and X-ClickHouse-Summary headers; errors as ClickHouse sends them
 * (status 500 or 401, `X-ClickHouse-Exception-Code`, body `Code: N. DB::Exception: …`).
 * Authentication: HTTP basic or X-ClickHouse-User / X-ClickHouse-Key.
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
}

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

/** URL parameters of the HTTP interface that are not query settings */
const transportParams = new Set(['query', 'query_id', 'database', 'default_format', 'session_id', 'session_timeout', 'session_check', 'role', 'user', 'password', 'compress', 'decompress']);
/** settings that only mean something to ClickHouse's HTTP handler; chDB would refuse them */
const httpOnlySettings = /^(enable_http_compression|send_progress_in_http_headers|http_|wait_end_of_query|buffer_size)/;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function credentials(req: IncomingMessage, url: URL): { user: string; key: string } {
  const basic = req.headers.authorization?.match(/^Basic (.+)$/i)?.[1];
  if (basic) {
    const [user = '', ...rest] = Buffer.from(basic, 'base64').toString().split(':');
    return { user, key: rest.join(':') };
  }
  return { user: String(req.headers['x-clickhouse-user'] ?? url.searchParams.get('user') ?? 'default'), key: String(req.headers['x-clickhouse-key'] ?? url.searchParams.get('password') ?? '') };
}

/** `INSERT INTO t (a, b) FORMAT TabSeparated`, as @clickhouse/client writes it for a TabSeparated body */
const tsvInsert = /^INSERT INTO ([\w.]+)(?: \(([\w, ]+)\))? FORMAT (?:TabSeparated|TSV)$/;

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw Object.assign(new Error(`Code: 307. DB::Exception: request body over ${max} bytes (TOO_LARGE_STRING_SIZE)`), { code: '307' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, type?: string): void {
  // the client reads code, message and type from exactly this shape
  const text = /^Code: \d+/.test(message) ? message : `Code: ${code}. DB::Exception: ${message.trim()}${type && !message.includes(`(${type})`) ? ` (${type})` : ''}`;
  if (!res.headersSent) {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': code });
  }
  res.end(`${text}\n`);
}

export async function startGateway(o: GatewayOptions): Promise<Gateway> {
  const dir = resolve(o.dataDir);
  mkdirSync(dir, { recursive: true });
  const { createChdbConnection } = await import('chdb/connection');
  const connection = createChdbConnection({ path: dir });
  const rawInsert = bulkInsertInto(connection.chdb as unknown as ChdbRawInsert);
  const maxBody = o.maxBodyBytes ?? 256 * 1024 * 1024;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname === '/ping') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
      return;
    }
    const { user, key } = credentials(req, url);
    if (!same(user, o.username) || !same(key, o.password)) {
      sendError(res, 401, '516', `${user}: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)`);
      return;
    }
    if (url.pathname !== '/' || (req.method !== 'POST' && req.method !== 'GET')) {
      sendError(res, 404, '0', 'only / and /ping are served');
      return;
    }
    const query_params: Record<string, unknown> = {};
    // chDB's session keeps SET values between queries: a token a client did not send must not
    // be inherited from the previous insert (which would drop this one as a duplicate)
    const clickhouse_settings: Record<string, string> = { insert_deduplication_token: '' };
    for (const [k, v] of url.searchParams) {
      if (k.startsWith('param_')) query_params[k.slice(6)] = v;
      else if (!transportParams.has(k) && !httpOnlySettings.test(k)) clickhouse_settings[k] = v;
    }
    const query_id = url.searchParams.get('query_id') ?? undefined;
    const urlQuery = url.searchParams.get('query');
    const bytes = req.method === 'POST' ? await readBody(req, maxBody) : Buffer.alloc(0);
    const common = { query_params, clickhouse_settings, ...(query_id ? { query_id } : {}) };
    // the processor's inserts: the bytes go to chDB's parser as they came (no string, no SQL glue)
    const tsv = urlQuery && bytes.length ? tsvInsert.exec(urlQuery.trim()) : null;
    if (tsv) {
      const id = query_id ?? randomUUID();
      await rawInsert({ table: tsv[1]!, columns: tsv[2] ? tsv[2].split(',').map((c) => c.trim()) : [], body: bytes, settings: clickhouse_settings, queryId: id });
      res.writeHead(200, { 'X-ClickHouse-Query-Id': id, 'X-ClickHouse-Summary': '{}' }).end();
      return;
    }
    const body = bytes.toString('utf8');
    if (urlQuery && body.length) {
      const r = await connection.insert({ query: urlQuery, values: body, ...common });
      res.writeHead(200, { 'X-ClickHouse-Query-Id': r.query_id, 'X-ClickHouse-Summary': JSON.stringify(r.summary ?? {}) }).end();
      return;
    }
    const query = [urlQuery, body].filter(Boolean).join('\n');
    const r = await connection.exec({ query, ...common });
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Query-Id': r.query_id, 'X-ClickHouse-Summary': JSON.stringify(r.summary ?? {}) });
    await pipeline(r.stream as Readable, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const err = e as { message?: string; clickhouseCode?: number; code?: unknown; type?: unknown };
      const code = String(err.clickhouseCode ?? (/^\d+$/.test(String(err.code)) ? err.code : '1001'));
      o.logger.debug({ err: err.message, code }, 'query failed');
      sendError(res, 500, code, err.message ?? String(e), typeof err.type === 'string' && /^[A-Z0-9_]+$/.test(err.type) ? err.type : 'STD_EXCEPTION');
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
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await connection.close();
    },
  };
}
