import type { ClickHouseClient } from '@clickhouse/client';
import type { LogPositions } from '../transport/memory.ts';

/**
 * The in-process log's reserved offsets, kept in the store it feeds (`log_positions`,
 * migration 3): the positions live with the rows they name, so whichever folder or server
 * `haidang start` opens, its log continues after every offset that store has seen.
 */
export function storeLogPositions(client: ClickHouseClient): LogPositions {
  return {
    async load(topics) {
      const rs = await client.query({
        query: 'SELECT topic, partition, toString(max(reserved)) AS reserved FROM log_positions WHERE topic IN {topics:Array(String)} GROUP BY topic, partition',
        query_params: { topics },
        format: 'JSONEachRow',
      });
      return (await rs.json<{ topic: string; partition: number; reserved: string }>()).map((r) => ({ topic: r.topic, partition: Number(r.partition), reserved: Number(r.reserved) }));
    },
    async reserve(topic, partition, upTo) {
      await client.insert({ table: 'log_positions', columns: ['topic', 'partition', 'reserved'], values: [{ topic, partition, reserved: upTo }], format: 'JSONEachRow' });
    },
  };
}
