import { parseError } from '@clickhouse/client';
import type { BigIdLists } from './big-id-lists.ts';

/** where a server is and who we are to it (the client's own settings, as openStore gave them) */
interface ServerAccess {
  url: string;
  username: string;
  password: string;
  database: string;
  timeoutMs: number;
}

/** the external table's name in the lookup: chosen so no stored table is hidden by it */
const tableName = 'haidang_lookup_ids';

/**
 * A big id lookup sent to a ClickHouse server (or `haidang store`) with its ids as an external
 * table: ClickHouse's HTTP "external data", a multipart body with the ids as a TabSeparated
 * file and `<name>_structure` in the URL, so the server parses them with its input format
 * instead of lexing a 550 KB literal. @clickhouse/client has no external data, so this one
 * request is a plain fetch with the client's own URL, credentials, database and timeout;
 * errors come back in the client's shape (a ClickHouseError with the server's code; a network
 * failure or a timeout as fetch gives it), so one classifier serves both.
 */
export class ExternalIds implements BigIdLists {
  constructor(private readonly access: ServerAccess) {}

  async rows<T>(ids: readonly string[], query: (source: string) => string): Promise<T[]> {
    const a = this.access;
    const url = new URL(a.url);
    url.search = new URLSearchParams({ query: `${query(`SELECT id FROM ${tableName}`)} FORMAT JSONEachRow`, database: a.database, [`${tableName}_structure`]: 'id UUID', [`${tableName}_format`]: 'TabSeparated', wait_end_of_query: '1' }).toString();
    const form = new FormData();
    form.append(tableName, new Blob([ids.join('\n')]), `${tableName}.tsv`);
    const res = await fetch(url, { method: 'POST', body: form, headers: { 'X-ClickHouse-User': a.username, 'X-ClickHouse-Key': a.password }, signal: AbortSignal.timeout(a.timeoutMs) });
    const text = await res.text();
    if (!res.ok) throw parseError(text.trim() || `HTTP ${res.status}`);
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as T);
  }
}
