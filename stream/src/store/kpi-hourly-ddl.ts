import type { DataStreamName } from '../contracts/registry.ts';
import { streamTables } from './tables.ts';

/**
 * The statements of `<stream>_kpi_1h` (migration 0006): per hour (UTC), entity and dimensions,
 * the last report's `columns` by `(observed_at, received_at)`, ordered by time first; its view
 * over raw; and the backfill from raw. Frozen into 0006's .sql once (a test compares); never
 * applied from here.
 */
export function kpiHourlyStatements(stream: DataStreamName, columns: readonly string[]): string[] {
  const t = streamTables[stream];
  const typeOf = (c: string) => t.columns.find(([n]) => n === c)![1];
  const dims = t.dims.map((d) => `\`${d}\``).join(', ');
  const tupleType = `Tuple(${columns.map((c) => `${c} ${typeOf(c)}`).join(', ')})`;
  const select = `SELECT toStartOfHour(observed_at) AS bucket, entity, ${dims}, argMaxState(tuple(${columns.map((c) => `\`${c}\``).join(', ')})::${tupleType}, tuple(observed_at, received_at)) AS last FROM ${stream}_raw GROUP BY bucket, entity, ${dims}`;
  const name = `${stream}_kpi_1h`;
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (\n  bucket DateTime('UTC'),\n  entity LowCardinality(String), ${t.dims.map((d) => `\`${d}\` ${typeOf(d)}`).join(', ')},\n  last AggregateFunction(argMax, ${tupleType}, Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC')))\n) ENGINE = AggregatingMergeTree\nPARTITION BY toYYYYMM(bucket)\nORDER BY (bucket, entity, ${dims})`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name}_mv TO ${name} AS ${select}`,
    `INSERT INTO ${name} ${select}`,
  ];
}
