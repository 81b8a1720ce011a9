import type { ClickHouseClient } from '@clickhouse/client';

/** one SELECT with bound parameters → its rows; 64-bit integers come back as strings (JSON) */
export async function selectRows<T = Record<string, unknown>>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}
