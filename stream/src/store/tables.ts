import type { CapacityEvent } from '../contracts/capacity.ts';
import type { DossierEvent } from '../contracts/dossiers.ts';
import type { PriceEvent } from '../contracts/prices.ts';
import type { VaccinationEvent } from '../contracts/vaccination.ts';
import type { TsvValue } from './tsv.ts';

/** [name, ClickHouse type, how a valid payload gives the value] */
export type Column<P> = readonly [name: string, type: string, read: (payload: P) => TsvValue];

/**
 * Column layout of each stream's tables. The DDL (migrations) and the row encoding (rows.ts)
 * both read this, so a column cannot be added to one and forgotten in the other.
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

export const streamTables: {
  capacity: StreamTable<CapacityEvent['payload']>;
  vaccination: StreamTable<VaccinationEvent['payload']>;
  prices: StreamTable<PriceEvent['payload']>;
  dossiers: StreamTable<DossierEvent['payload']>;
} = {
  capacity: {
    kind: 'gauge',
    dims: ['tier'],
    columns: [
      ['tier', 'UInt8', (p) => p.tier],
      ['beds_total', 'UInt32', (p) => p.bedsTotal],
      ['beds_occupied', 'UInt32', (p) => p.bedsOccupied],
      ['oxygen_beds_total', 'UInt32', (p) => p.oxygenBedsTotal],
      ['oxygen_beds_occupied', 'UInt32', (p) => p.oxygenBedsOccupied],
      ['o2_mask', 'UInt32', (p) => p.patientsBySupport.mask],
      ['o2_hfnc', 'UInt32', (p) => p.patientsBySupport.hfnc],
      ['o2_niv', 'UInt32', (p) => p.patientsBySupport.niv],
      ['o2_invasive', 'UInt32', (p) => p.patientsBySupport.invasive],
      ['o2_ecmo', 'UInt32', (p) => p.patientsBySupport.ecmo],
      ['icu_beds_total', 'UInt32', (p) => p.icuBedsTotal],
      ['icu_beds_occupied', 'UInt32', (p) => p.icuBedsOccupied],
      ['ventilators_total', 'UInt32', (p) => p.ventilatorsTotal],
      ['ventilators_in_use', 'UInt32', (p) => p.ventilatorsInUse],
      ['oxygen_stock_litres', 'Float64', (p) => p.oxygenStockLitres],
      ['staff_on_duty', 'Nullable(UInt32)', (p) => p.staffOnDuty ?? null],
    ],
  },
  vaccination: {
    kind: 'counter',
    dims: ['dose_number', 'vaccine', 'age_group'],
    columns: [
      ['dose_number', 'UInt8', (p) => p.doseNumber],
      ['vaccine', 'LowCardinality(String)', (p) => p.vaccine],
      ['age_group', 'LowCardinality(String)', (p) => p.ageGroup],
      ['doses', 'UInt32', (p) => p.doses],
      ['pushed_to_niis', 'Nullable(Bool)', (p) => p.pushedToNiis ?? null],
    ],
  },
  prices: {
    kind: 'gauge',
    dims: ['commodity'],
    columns: [
      ['commodity', 'LowCardinality(String)', (p) => p.commodity],
      ['unit', 'LowCardinality(String)', (p) => p.unit],
      ['price_vnd', 'UInt64', (p) => p.priceVnd],
      ['shortage', 'Nullable(Bool)', (p) => p.shortage ?? null],
    ],
  },
  dossiers: {
    kind: 'counter',
    dims: ['procedure'],
    columns: [
      ['procedure', 'LowCardinality(String)', (p) => p.procedure ?? ''],
      ['received', 'UInt32', (p) => p.received],
      ['received_online', 'UInt32', (p) => p.receivedOnline],
      ['resolved', 'UInt32', (p) => p.resolved],
      ['resolved_on_time', 'UInt32', (p) => p.resolvedOnTime],
      ['resolved_late', 'UInt32', (p) => p.resolvedLate],
      ['paid_online', 'UInt32', (p) => p.paidOnline],
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
