import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { externalParam, type ExternalSpec } from './external-data.ts';
import { HttpError } from './http-error.ts';

/**
 * What a request to ClickHouse's HTTP interface asks for, read from its URL and headers:
 * the transport parameters the HTTP handler itself consumes, the query parameters
 * (`param_*`), and every other URL parameter as a setting for this one query.
 */
export interface GatewayRequest {
  method: string;
  path: string;
  user: string;
  key: string;
  /** `query=` from the URL, if any */
  urlQuery: string | null;
  queryId: string;
  sessionId: string | null;
  sessionTimeout: string | null;
  sessionCheck: boolean;
  database: string | null;
  /** output format when the query names none: default_format, X-ClickHouse-Format, else TabSeparated */
  defaultFormat: string;
  params: Record<string, string>;
  /** settings for the engine, in the order given */
  settings: [string, string][];
  /** compress=1: answer in ClickHouse's block framing */
  compress: boolean;
  /** decompress=1: the body is in ClickHouse's block framing */
  decompress: boolean;
  verifyChecksums: boolean;
  /** enable_http_compression=1: compress the answer as Accept-Encoding allows */
  httpCompression: boolean;
  /** wait_end_of_query=1: send nothing until the query has finished */
  waitEndOfQuery: boolean;
  /** client_protocol_version: Native answers framed as the TCP protocol's blocks */
  protocolVersion: number;
  /** send_progress_in_http_headers=1: an X-ClickHouse-Progress header (one, when the answer is held whole) */
  progressHeaders: boolean;
  /** a multipart body: external tables, with what the URL says of each (external-data.ts) */
  external: Map<string, ExternalSpec> | null;
}

/** URL parameters ClickHouse's HTTP handler consumes itself (HTTPHandler's reserved names) */
const transport = new Set(['query', 'query_id', 'database', 'default_format', 'session_id', 'session_timeout', 'session_check', 'close_session', 'user', 'password', 'quota_key', 'compress', 'decompress', 'stacktrace', 'role', 'buffer_size', 'client_protocol_version', 'with_stacktrace']);

/**
 * Settings of ClickHouse's HTTP layer, not of its engine (chDB would call them unknown):
 * the gateway acts on the ones it implements and accepts the rest as ClickHouse does.
 */
const httpLayer = /^(enable_http_compression|http_zlib_compression_level|http_native_compression_disable_checksumming_on_decompress|send_progress_in_http_headers|http_headers_progress_interval_ms|http_response_buffer_size|http_wait_end_of_query|wait_end_of_query|http_write_exception_in_output_format|http_response_headers|add_http_cors_header|cancel_http_readonly_queries_on_client_close|output_format_parallel_formatting_http)$/;

/** a Basic credential's part, %-unescaped as clients send it; a broken escape stays as it is (and fails authentication, 403, not 500) */
function unescaped(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function credentials(req: IncomingMessage, url: URL): { user: string; key: string } {
  const basic = req.headers.authorization?.match(/^Basic (.+)$/i)?.[1];
  if (basic) {
    const [user = '', ...rest] = Buffer.from(basic, 'base64').toString().split(':');
    return { user: unescaped(user), key: unescaped(rest.join(':')) };
  }
  return {
    user: String(req.headers['x-clickhouse-user'] ?? url.searchParams.get('user') ?? 'default'),
    key: String(req.headers['x-clickhouse-key'] ?? url.searchParams.get('password') ?? ''),
  };
}

const on = (v: string | null | undefined) => v !== null && v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

export function readRequest(req: IncomingMessage): GatewayRequest {
  const url = new URL(req.url ?? '/', 'http://store');
  const p = url.searchParams;
  const params: Record<string, string> = {};
  const settings: [string, string][] = [];
  const layer = new Map<string, string>();
  const external = /^multipart\/form-data/i.test(req.headers['content-type'] ?? '') ? new Map<string, ExternalSpec>() : null;
  for (const [k, v] of p) {
    const ext = external && k.match(externalParam);
    if (ext) {
      const spec = external.get(ext[1]!) ?? {};
      spec[ext[2] as keyof ExternalSpec] = v;
      external.set(ext[1]!, spec);
    } else if (k.startsWith('param_')) params[k.slice(6)] = v;
    else if (transport.has(k)) continue;
    else if (httpLayer.test(k)) layer.set(k, v);
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new HttpError(400, 115, `Unknown setting '${k}' (UNKNOWN_SETTING)`);
    else settings.push([k, v]);
  }
  if (!external && /^multipart\//i.test(req.headers['content-type'] ?? '')) {
    throw new HttpError(400, 48, `A multipart body must be multipart/form-data (external data), not ${String(req.headers['content-type']).slice(0, 60)} (NOT_IMPLEMENTED)`);
  }
  const formatHeader = req.headers['x-clickhouse-format'];
  const databaseHeader = req.headers['x-clickhouse-database'];
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    ...credentials(req, url),
    urlQuery: p.get('query'),
    queryId: p.get('query_id') || randomUUID(),
    sessionId: p.get('session_id') || null,
    sessionTimeout: p.get('session_timeout'),
    sessionCheck: on(p.get('session_check')),
    database: p.get('database') || (typeof databaseHeader === 'string' && databaseHeader) || null,
    defaultFormat: p.get('default_format') || (typeof formatHeader === 'string' && formatHeader) || 'TabSeparated',
    params,
    settings,
    compress: on(p.get('compress')),
    decompress: on(p.get('decompress')),
    verifyChecksums: !on(layer.get('http_native_compression_disable_checksumming_on_decompress')),
    httpCompression: on(layer.get('enable_http_compression')),
    waitEndOfQuery: on(layer.get('wait_end_of_query') ?? layer.get('http_wait_end_of_query')),
    protocolVersion: Number(p.get('client_protocol_version') ?? 0) || 0,
    progressHeaders: on(layer.get('send_progress_in_http_headers')),
    external,
  };
}
