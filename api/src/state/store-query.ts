import type { ClickHouseClient } from '@clickhouse/client';
import type { StreamName } from '@haidang/stream';
import { readPathOf } from './read-path.ts';

/**
 * One SELECT with bound parameters → its rows; 64-bit integers come back as strings (JSON).
 * A read of stored streams names them (`streams`): it then goes through the api's read path
 * (answered once for identical reads in flight, kept until the next stored batch of those
 * streams, bounded by `max_execution_time`) when the client has one.
 */
export async function selectRows<T = Record<string, unknown>>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}, o: { streams?: readonly StreamName[] } = {}): Promise<T[]> {
  const reads = o.streams?.length ? readPathOf(client) : undefined;
  if (reads) return reads.rows<T>(query, params, o.streams!);
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}
