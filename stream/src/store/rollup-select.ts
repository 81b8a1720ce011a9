import type { DataStreamName } from '../contracts/registry.ts';
import { bucketFunction, streamTables, tableNames, type RollupBucket } from './tables.ts';

/**
 * The SELECT that rolls a gauge stream's raw reports up into buckets: the last value per
 * bucket (argMax by observedAt, then receivedAt, so a correction wins) and the distinct
 * reports, as aggregate states. Materialised views (1h, 1d) and the plain 1m view share it.
 */
export function rollupSelect(stream: DataStreamName, bucket: RollupBucket): string {
  const t = streamTables[stream];
  const values = t.columns.filter(([n]) => !t.dims.includes(n));
  const tupleType = `Tuple(${values.map(([n, ty]) => `${n} ${ty}`).join(', ')})`;
  const tupleExpr = `tuple(${values.map(([n]) => `\`${n}\``).join(', ')})::${tupleType}`;
  const dims = t.dims.map((d) => `\`${d}\``).join(', ');
  return `SELECT entity, ${dims}, ${bucketFunction[bucket]}(observed_at) AS bucket, argMaxState(${tupleExpr}, tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM ${tableNames(stream).raw} GROUP BY entity, ${dims}, bucket`;
}
