import type { DataStreamName } from '../contracts/registry.ts';

/**
 * Column layout of each stream's tables. The DDL (migrations) and the row mapping (rows.ts)
 * both read this, so a column cannot be added to one and forgotten in the other.
 */
export interface StreamTable {
  /** payload columns, in order: [name, ClickHouse type] */
  columns: ReadonlyArray<readonly [string, string]>;
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

export const streamTables: Record<DataStreamName, StreamTable> = {
  capacity: {
    kind: 'gauge',
    dims: ['tier'],
    columns: [
      ['tier', 'UInt8'],
      ['beds_total', 'UInt32'],
      ['beds_occupied', 'UInt32'],
      ['oxygen_beds_total', 'UInt32'],
      ['oxygen_beds_occupied', 'UInt32'],
      ['o2_mask', 'UInt32'],
      ['o2_hfnc', 'UInt32'],
      ['o2_niv', 'UInt32'],
      ['o2_invasive', 'UInt32'],
      ['o2_ecmo', 'UInt32'],
      ['icu_beds_total', 'UInt32'],
      ['icu_beds_occupied', 'UInt32'],
      ['ventilators_total', 'UInt32'],
      ['ventilators_in_use', 'UInt32'],
      ['oxygen_stock_litres', 'Float64'],
      ['staff_on_duty', 'Nullable(UInt32)'],
    ],
  },
  vaccination: {
    kind: 'counter',
    dims: ['dose_number', 'vaccine', 'age_group'],
    columns: [
      ['dose_number', 'UInt8'],
      ['vaccine', 'LowCardinality(String)'],
      ['age_group', 'LowCardinality(String)'],
      ['doses', 'UInt32'],
      ['pushed_to_niis', 'Nullable(Bool)'],
    ],
  },
  prices: {
    kind: 'gauge',
    dims: ['commodity'],
    columns: [
      ['commodity', 'LowCardinality(String)'],
      ['unit', 'LowCardinality(String)'],
      ['price_vnd', 'UInt64'],
      ['shortage', 'Nullable(Bool)'],
    ],
  },
  dossiers: {
    kind: 'counter',
    dims: ['procedure'],
    columns: [
      ['procedure', 'LowCardinality(String)'],
      ['received', 'UInt32'],
      ['received_online', 'UInt32'],
      ['resolved', 'UInt32'],
      ['resolved_on_time', 'UInt32'],
      ['resolved_late', 'UInt32'],
      ['paid_online', 'UInt32'],
    ],
  },
};

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
