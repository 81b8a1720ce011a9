import { allDescriptors, type DataStreamName, type EventOf } from '../contracts/registry.ts';
import { dimensionsOf } from '../streams/descriptor.ts';
import type { TsvValue } from './tsv.ts';

/** [name, ClickHouse type, how a valid payload gives the value] */
export type Column<P> = readonly [name: string, type: string, read: (payload: P) => TsvValue];

/**
 * Column layout of each stream's tables, derived from its descriptor. The DDL (`haidang
 * migration new`, stream-ddl.ts) and the row encoding (rows.ts) both read this, so a column
 * cannot be added to one and forgotten in the other.
 */
export interface StreamTable<P> {
  /** payload columns, in table order */
  columns: ReadonlyArray<Column<P>>;
  /** what identifies one series of the stream besides the entity (supersession key) */
  dims: readonly string[];
  /** gauges keep their last value per bucket in rollups; counters are summed at query time */
  kind: 'gauge' | 'counter';
}

export const envelopeColumns = [
  ['id', 'UUID'],
  ['source', 'LowCardinality(String)'],
  ['entity', 'LowCardinality(String)'],
  ['observed_at', "DateTime64(3, 'UTC')"],
  ['received_at', "DateTime64(3, 'UTC')"],
  ['version', 'UInt8'],
  ['log_partition', 'UInt32'],
  ['log_offset', 'UInt64'],
] as const;

/** each stream's table layout, from its descriptor's fields (column, ClickHouse type, reader) */
export const streamTables = Object.fromEntries(
  allDescriptors.map((d) => [d.name, { kind: d.kind, dims: dimensionsOf(d), columns: d.fields.map((f) => [f.column, f.store, f.read] as const) }]),
) as unknown as { [S in DataStreamName]: StreamTable<EventOf<S>['payload']> };

/** names of the tables of one stream */
export const tableNames = (stream: string) => ({
  raw: `${stream}_raw`,
  asof: `${stream}_asof`,
  latest: `${stream}_latest`,
  rollup: (bucket: RollupBucket) => `${stream}_${bucket}`,
});

export const rollupBuckets = ['1m', '1h', '1d'] as const;
export type RollupBucket = (typeof rollupBuckets)[number];
export const bucketFunction: Record<RollupBucket, string> = {
  '1m': 'toStartOfMinute',
  '1h': 'toStartOfHour',
  '1d': 'toStartOfDay',
};
