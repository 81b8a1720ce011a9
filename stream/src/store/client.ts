import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { bulkInsertInto, bulkInsertOver, type BulkInsert } from './bulk-insert.ts';
import { ChdbSessions, type ChdbSession } from './chdb-sessions.ts';
import { inEmptyWorkingDir } from './empty-working-dir.ts';
import { HeldIdsEndpoint } from './held-ids-endpoint.ts';
import { IdFiles } from './id-files.ts';
import type { Config } from '../config.ts';

export interface StoreOptions {
  /** a ClickHouse server's HTTP interface; when unset, chDB runs in this process */
  url?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  database?: string | undefined;
  /** chDB's data folder (embedded mode) */
  dataDir: string;
  /** chDB sessions on that folder, each running one statement at a time (embedded mode; default 4) */
  sessions?: number | undefined;
}

/** the store a validated configuration names (every command opens it this way) */
export function storeOptionsFrom(c: Pick<Config, 'CLICKHOUSE_URL' | 'CLICKHOUSE_USER' | 'CLICKHOUSE_PASSWORD' | 'HAIDANG_DATA_DIR' | 'HAIDANG_CHDB_SESSIONS'>): StoreOptions {
  return { url: c.CLICKHOUSE_URL, username: c.CLICKHOUSE_USER, password: c.CLICKHOUSE_PASSWORD, dataDir: c.HAIDANG_DATA_DIR, sessions: c.HAIDANG_CHDB_SESSIONS };
}

export interface Store {
  readonly client: ClickHouseClient;
  readonly mode: 'chdb' | 'server';
  /** where it stores: a folder for chDB, the URL (without credentials) for a server */
  readonly location: string;
  close(): Promise<void>;
}

/**
 * The client would print every failed request with its stack to stderr; the error reaches
 * the caller, which reports it once (pino, a problem answer, a command's one-line error).
 */
const quiet = { level: ClickHouseLogLevel.OFF };

/**
 * The store is always an `@clickhouse/client` client: over HTTP to a server when a URL is
 * given, otherwise to chDB in-process through `chdb/connection`. The same SQL runs on both.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.url) {
    const url = new URL(options.url);
    const client = createClient({
      url: `${url.protocol}//${url.host}`,
      username: options.username ?? (decodeURIComponent(url.username) || 'default'),
      password: options.password ?? decodeURIComponent(url.password),
      database: options.database ?? (url.pathname.slice(1) || 'default'),
      request_timeout: 60_000,
      max_open_connections: 16,
      compression: { request: false, response: false },
      log: quiet,
    });
    const user = options.username ?? (decodeURIComponent(url.username) || 'default');
    const key = options.password ?? decodeURIComponent(url.password);
    heldIdsEndpoints.set(client, new HeldIdsEndpoint(`${url.protocol}//${url.host}`, `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`));
    return { client, mode: 'server', location: `${url.protocol}//${url.host}`, close: () => client.close() };
  }
  const dir = resolve(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const { createChdbConnection } = await import('chdb/connection');
  // chDB starts in an empty folder: a name that is no table is read as a file relative to it
  const connection = inEmptyWorkingDir(() => new ChdbSessions(() => createChdbConnection({ path: dir }) as unknown as ChdbSession, options.sessions ?? 4));
  const client = createClient({
    connection,
    // chdb/connection applies a query's settings with SET on one long-lived session, so they
    // outlive the query: after an insert with a deduplication token, the next insert without
    // one would reuse it and be dropped as a duplicate. Every request therefore states the
    // settings that must not leak; a call's own settings override these.
    clickhouse_settings: { insert_deduplication_token: '' },
    log: quiet,
  } as Parameters<typeof createClient>[0]);
  rawInserts.set(client, bulkInsertInto(connection.chdb));
  const idFiles = new IdFiles(client);
  lookupFiles.set(client, idFiles);
  return { client, mode: 'chdb', location: dir, close: () => client.close().finally(() => idFiles.close()) };
}

/** clients opened over chDB in this process, with their raw insert and where their big lookups' ids go */
const rawInserts = new WeakMap<ClickHouseClient, BulkInsert>();
const lookupFiles = new WeakMap<ClickHouseClient, IdFiles>();
const heldIdsEndpoints = new WeakMap<ClickHouseClient, HeldIdsEndpoint>();

/** where a client opened here over HTTP may ask `haidang store` which ids it holds (none over chDB) */
export function heldIdsEndpointFor(client: ClickHouseClient): HeldIdsEndpoint | undefined {
  return heldIdsEndpoints.get(client);
}

/** the id files of a client opened here over chDB (id-files.ts); none over HTTP */
export function idFilesFor(client: ClickHouseClient): IdFiles | undefined {
  return lookupFiles.get(client);
}

/**
 * How to insert encoded rows with this client: chDB's raw insert when the client was opened
 * here over chDB, the HTTP body as it is otherwise. The fast path follows the client, so every
 * processor (commands, tests, benches) gets it without being told.
 */
export function bulkInsertFor(client: ClickHouseClient): BulkInsert {
  return rawInserts.get(client) ?? bulkInsertOver(client);
}
