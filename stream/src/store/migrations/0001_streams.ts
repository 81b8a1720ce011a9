import { dataStreams } from '../../contracts/registry.ts';
import { rollupSelect } from '../rollup-select.ts';
import { envelopeColumns, rollupBuckets, streamTables, tableNames } from '../tables.ts';
import type { Migration } from '../migration.ts';

/**
 * Per stream:
 *  - `<s>_raw`: every stored event (history "as reported on"). Plain MergeTree deduplicates
 *    retried inserts only with non_replicated_deduplication_window set (default 0 = off).
 *  - `<s>_asof`: one row per (entity, dims, observedAt), the latest-received report winning:
 *    corrections supersede, duplicates collapse. KPIs read it with FINAL.
 *  - `<s>_latest`: one row per (entity, dims): the current state for the live map. The
 *    version orders by observedAt, then receivedAt (seconds; both fit a UInt64).
 *  - gauges only: `<s>_1m|1h|1d` rollups keeping the last value per bucket (argMax by
 *    observedAt, receivedAt), so a correction of the last report wins there too. Counters
 *    are summed from `<s>_asof` at query time: a materialised sum could not retract a
 *    superseded count.
 */
const dedupWindow = 10_000;

function streamStatements(stream: (typeof dataStreams)[number]): string[] {
  const t = streamTables[stream];
  const names = tableNames(stream);
  const cols = [...envelopeColumns, ...t.columns].map(([n, ty]) => `\`${n}\` ${ty}`).join(',\n  ');
  const key = ['entity', ...t.dims].map((d) => `\`${d}\``).join(', ');
  const all = [...envelopeColumns, ...t.columns].map(([n]) => `\`${n}\``).join(', ');
  const out = [
    `CREATE TABLE IF NOT EXISTS ${names.raw} (\n  ${cols},\n  stored_at DateTime64(3, 'UTC') DEFAULT now64(3),\n  INDEX log_position (log_partition, log_offset) TYPE minmax GRANULARITY 1\n) ENGINE = MergeTree\nPARTITION BY toYYYYMM(observed_at)\nORDER BY (entity, observed_at, id)\nSETTINGS non_replicated_deduplication_window = ${dedupWindow}`,
    `CREATE TABLE IF NOT EXISTS ${names.asof} (\n  ${cols}\n) ENGINE = ReplacingMergeTree(received_at)\nPARTITION BY toYYYYMM(observed_at)\nORDER BY (${key}, observed_at)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${names.asof}_mv TO ${names.asof} AS SELECT ${all} FROM ${names.raw}`,
    `CREATE TABLE IF NOT EXISTS ${names.latest} (\n  ${cols},\n  ver UInt64\n) ENGINE = ReplacingMergeTree(ver)\nORDER BY (${key})`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${names.latest}_mv TO ${names.latest} AS SELECT ${all}, toUInt64(toUnixTimestamp(observed_at)) * 1000000000 + toUInt64(toUnixTimestamp(received_at)) % 1000000000 AS ver FROM ${names.raw}`,
  ];
  if (t.kind === 'gauge') {
    const values = t.columns.filter(([n]) => !t.dims.includes(n));
    const tupleType = `Tuple(${values.map(([n, ty]) => `${n} ${ty}`).join(', ')})`;
    const dimCols = t.dims.map((d) => `\`${d}\` ${t.columns.find(([n]) => n === d)![1]}`).join(', ');
    for (const b of rollupBuckets) {
      const name = names.rollup(b);
      out.push(
        `CREATE TABLE IF NOT EXISTS ${name} (\n  entity LowCardinality(String), ${dimCols},\n  bucket DateTime('UTC'),\n  last AggregateFunction(argMax, ${tupleType}, Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),\n  reports AggregateFunction(uniqExact, UUID)\n) ENGINE = AggregatingMergeTree\nPARTITION BY toYYYYMM(bucket)\nORDER BY (${key}, bucket)`,
        `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name}_mv TO ${name} AS ${rollupSelect(stream, b)}`,
      );
    }
  }
  return out;
}

export const migration: Migration = {
  id: 1,
  name: 'streams: raw, as-of, latest and rollup tables',
  statements: [
    ...dataStreams.flatMap(streamStatements),
    `CREATE TABLE IF NOT EXISTS alerts_raw (
  id UUID, source LowCardinality(String), entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC'), received_at DateTime64(3, 'UTC'), version UInt8,
  log_partition UInt32, log_offset UInt64,
  rule_id LowCardinality(String), episode_id UUID, state LowCardinality(String), severity LowCardinality(String),
  metric LowCardinality(String), value Float64, threshold Float64, message_vi String, message_en String,
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = MergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (rule_id, entity, observed_at, id)
SETTINGS non_replicated_deduplication_window = ${dedupWindow}`,
    `CREATE TABLE IF NOT EXISTS deadletter (
  id UUID, topic LowCardinality(String), log_partition UInt32, log_offset UInt64, key Nullable(String),
  reason LowCardinality(String), field String, message String, event_id Nullable(String), source Nullable(String),
  raw String, dead_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
PARTITION BY toYYYYMM(dead_at)
ORDER BY (topic, log_partition, log_offset)
SETTINGS non_replicated_deduplication_window = ${dedupWindow}`,
  ],
};
