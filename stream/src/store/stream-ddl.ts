import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { descriptorOf, isStreamName, type DataStreamName } from '../contracts/registry.ts';
import { HaiDangError } from '../errors.ts';
import { statementSeparator } from './frozen-sql.ts';
import { rollupSelect } from './rollup-select.ts';
import { envelopeColumns, rollupBuckets, streamTables, tableNames } from './tables.ts';

const dedupWindow = 10_000;

/**
 * The statements that give a stream its tables as every store has them today (after
 * migrations 0001–0004): `<s>_raw`; `<s>_asof` and `<s>_latest` with their views; for gauges
 * the 1-minute rollup as a plain view and the 1 h and 1 d rollups as materialised views;
 * `<s>_ids_by_time` with its view (0004's form of the stored ids). Written ONCE into a new migration's frozen .sql by
 * `haidang migration new <stream>` (writeStreamMigration); never applied from here.
 */
export function streamStatements(stream: DataStreamName): string[] {
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
    if (!t.dims.length) throw new HaiDangError('HD_CONFIG_INVALID', `stream ${stream}: a gauge needs at least one dimension field (its rollups are keyed by entity and dimensions)`);
    const values = t.columns.filter(([n]) => !t.dims.includes(n));
    const tupleType = `Tuple(${values.map(([n, ty]) => `${n} ${ty}`).join(', ')})`;
    const dimCols = t.dims.map((d) => `\`${d}\` ${t.columns.find(([n]) => n === d)![1]}`).join(', ');
    out.push(`CREATE VIEW IF NOT EXISTS ${names.rollup('1m')} AS ${rollupSelect(stream, '1m')}`);
    for (const b of rollupBuckets.filter((x) => x !== '1m')) {
      const name = names.rollup(b);
      out.push(
        `CREATE TABLE IF NOT EXISTS ${name} (\n  entity LowCardinality(String), ${dimCols},\n  bucket DateTime('UTC'),\n  last AggregateFunction(argMax, ${tupleType}, Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),\n  reports AggregateFunction(uniqExact, UUID)\n) ENGINE = AggregatingMergeTree\nPARTITION BY toYYYYMM(bucket)\nORDER BY (${key}, bucket)`,
        `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name}_mv TO ${name} AS ${rollupSelect(stream, b)}`,
      );
    }
  }
  out.push(
    `CREATE TABLE IF NOT EXISTS ${stream}_ids_by_time (\n  id UUID,\n  entity LowCardinality(String),\n  observed_at DateTime64(3, 'UTC')\n) ENGINE = ReplacingMergeTree\nORDER BY (UUIDv7ToDateTime(id), id)\nSETTINGS index_granularity = 256`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${stream}_ids_by_time_mv TO ${stream}_ids_by_time AS SELECT id, entity, observed_at FROM ${names.raw}`,
  );
  return out;
}

/** the streams whose tables migration 0001 created (history: frozen like the migration) */
const streamsOf0001: readonly string[] = ['capacity', 'vaccination', 'prices', 'dossiers'];

export const migrationsDir = join(import.meta.dirname, 'migrations');
/** a stream's migration file: `0005_disbursement.sql` (frozen SQL, no .ts beside it) */
export const streamMigrationFile = /^(\d{4})_([a-z][a-z0-9_]*)\.sql$/;

/**
 * `haidang migration new <stream>`: writes the next migration, `000N_<stream>.sql`, with the
 * stream's tables from its descriptor. The file is then frozen like every other (committed,
 * never edited; stream/test/migrations-frozen.test.ts records its checksum once it ships).
 */
export function writeStreamMigration(stream: string, dir = migrationsDir): { file: string; id: number; statements: number } {
  if (!isStreamName(stream)) throw new HaiDangError('HD_CONFIG_INVALID', `no stream "${stream}" in the registry (stream/src/streams/index.ts)`);
  descriptorOf(stream);
  const files = readdirSync(dir);
  const taken = streamsOf0001.includes(stream) ? '0001_streams.sql' : files.find((f) => f.endsWith('.sql') && f.slice(5, -4) === stream);
  if (taken) throw new HaiDangError('HD_CONFIG_INVALID', `stream "${stream}" already has its migration: ${taken}`);
  const id = Math.max(0, ...files.map((f) => Number(/^(\d{4})_/.exec(f)?.[1] ?? 0))) + 1;
  const file = `${String(id).padStart(4, '0')}_${stream}.sql`;
  const statements = streamStatements(stream);
  writeFileSync(join(dir, file), `${statements.join(statementSeparator)}\n`, { flag: 'wx' });
  return { file, id, statements: statements.length };
}
