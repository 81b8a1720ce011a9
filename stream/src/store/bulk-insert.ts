import { Readable } from 'node:stream';
import { parseError, type ClickHouseClient } from '@clickhouse/client';

/** rows already encoded as TabSeparated lines, for one table */
interface BulkInsertRequest {
  table: string;
  /** the columns each line fills, in order; the table's other columns take their defaults */
  columns: readonly string[];
  /** newline-terminated TabSeparated lines */
  body: Buffer;
  settings: Record<string, string | number>;
  queryId: string;
}

export type BulkInsert = (request: BulkInsertRequest) => Promise<void>;

/** the hot insert path over a server's (or `haidang store`'s) HTTP interface: the body is sent as it is */
export function bulkInsertOver(client: ClickHouseClient): BulkInsert {
  return async (r) => {
    await client.insert({ table: r.table, columns: [...r.columns] as [string, ...string[]], values: Readable.from([r.body], { objectMode: false }), format: 'TabSeparated', clickhouse_settings: r.settings, query_id: r.queryId });
  };
}

/** the part of chdb/connection's escape hatch this uses: the Buffer goes to chDB's parser without a copy */
export interface ChdbRawInsert {
  rawInsert(p: { table: string; values: Buffer; format: 'TSV'; columns?: readonly string[]; settings: Record<string, string | number> }): Promise<unknown>;
}

/**
 * The hot insert path into chDB in this process. `client.insert` through chdb/connection
 * would turn the body into a string and glue it to the SQL; chDB's raw insert parses the
 * bytes as they are (bench/profile.ts measures the difference). Errors get ClickHouse's
 * shape (numeric code), as the client would give them, so one classifier serves both paths.
 */
export function bulkInsertInto(chdb: ChdbRawInsert): BulkInsert {
  return async (r) => {
    try {
      await chdb.rawInsert({ table: r.table, values: r.body, format: 'TSV', ...(r.columns.length ? { columns: r.columns } : {}), settings: r.settings });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const mapped = parseError(message);
      if (mapped !== e) (mapped as Error & { cause?: unknown }).cause = e;
      throw mapped;
    }
  };
}
