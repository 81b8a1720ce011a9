import { z } from 'zod';
import { HaiDangError } from './errors.ts';
import { kafkaCompressions } from './transport/kafka-compression.ts';

/**
 * Hải Đăng's configuration: environment first, then command-line flags over it, validated
 * once at start and frozen. Unknown HAIDANG_* variables are refused (a typo must not be
 * silently ignored). Defaults run the embedded mode: no Kafka, chDB in ./data.
 */
const brokerList = z
  .string()
  .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[\w.-]+:\d+$/, 'each broker must be host:port')).min(1));

const intFromEnv = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const configSchema = z.strictObject({
  KAFKA_BROKERS: brokerList.optional(),
  /** codec of the batches Hải Đăng produces to Kafka (ingest, pushes, dead letters); every codec is read whatever this says */
  KAFKA_COMPRESSION: z.enum(kafkaCompressions).default('none'),
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_USER: z.string().optional(),
  CLICKHOUSE_PASSWORD: z.string().optional(),
  /** a ClickHouse cluster (its name in `remote_servers`): the migrations create replicated tables ON CLUSTER with distributed tables in front */
  HAIDANG_CLICKHOUSE_CLUSTER: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a cluster name as remote_servers spells it: letters, digits, _').optional(),
  HAIDANG_DATA_DIR: z.string().min(1).default('./data'),
  /** embedded mode: chDB sessions on the data folder; each runs one statement at a time, so this many run side by side */
  HAIDANG_CHDB_SESSIONS: intFromEnv(1, 64).default(4),
  HAIDANG_PARTITIONS: intFromEnv(1, 1024).default(4),
  HAIDANG_TOPIC_PREFIX: z.string().regex(/^[\w.-]*$/).default(''),
  HAIDANG_GROUP: z.string().min(1).default('haidang-stream'),
  HAIDANG_BATCH_ROWS: intFromEnv(1, 1_000_000).default(10_000),
  HAIDANG_SESSION_TIMEOUT_MS: intFromEnv(6_000, 300_000).default(30_000),
  /**
   * Kafka: most MiB one fetch brings of a partition. It caps a chunk (one insert) below
   * HAIDANG_BATCH_ROWS when events are large (4 MiB ≈ 8,000 capacity reports); bigger inserts
   * cost the store less an event, and the worker more memory (docs/benchmarks.md).
   */
  KAFKA_FETCH_MIB_PER_PARTITION: intFromEnv(1, 256).default(4),
  /**
   * Kafka: most MiB one fetch brings for every partition a consumer holds, together. Unset:
   * 4 × KAFKA_FETCH_MIB_PER_PARTITION (at least 16); for a `haidang stream` worker whose store
   * is elsewhere, 2 × KAFKA_FETCH_MIB_PER_PARTITION, so that what it holds does not grow with
   * the partitions it owns (a worker that joined first, or whose peer died, owns them all).
   */
  KAFKA_FETCH_MIB: intFromEnv(1, 1024).optional(),
  /**
   * `haidang stream`: MiB of Buffers outside V8's heap (fetched batches, insert bodies) a worker
   * may hold beyond what its last full collection left before it collects garbage at once,
   * instead of at V8's own 64 MiB; 0 = V8's own rule (docs/benchmarks.md).
   */
  HAIDANG_STREAM_BUFFERS_MIB: intFromEnv(0, 4096).default(32),
  /** simulator: most events published per second (0 = no simulator) */
  HAIDANG_SIM_RATE: intFromEnv(0, 1_000_000).default(200),
  /** simulator: simulated time per wall-clock time (1 = real time … 1000) */
  HAIDANG_SIM_SPEED: intFromEnv(1, 1000).default(1),
  /** simulator: hours of history published at start, so a new install shows trends at once */
  HAIDANG_SIM_HISTORY_HOURS: intFromEnv(0, 24 * 60).default(24),
  HAIDANG_SIM_SEED: intFromEnv(0, 2 ** 31).default(20220130),
  HAIDANG_PORT: intFromEnv(0, 65535).default(8080),
  HAIDANG_HOST: z.string().default('127.0.0.1'),
  /** `haidang store`: port of its ClickHouse-compatible HTTP interface (0 = any free port) */
  HAIDANG_STORE_PORT: intFromEnv(0, 65535).default(8123),
  /** `haidang start` (embedded): when set, also serve the store's ClickHouse HTTP interface on loopback, HAIDANG_STORE_PORT, to one read-only user (Grafana) with this password */
  HAIDANG_STORE_HTTP_PASSWORD: z.string().min(8, 'use at least 8 characters').optional(),
  /** that read-only user's name */
  HAIDANG_STORE_HTTP_USER: z.string().regex(/^[\w.-]+$/).default('grafana'),
  /** `haidang stream` / `haidang store`: port of the ops server (/healthz, /readyz, /metrics; 0 = any free port, logged) */
  HAIDANG_OPS_PORT: intFromEnv(0, 65535).default(0),
  /** when set, /metrics also answers non-loopback requests bearing `Authorization: Bearer <token>` */
  /** `haidang import`: the data source's API key (a client credential; the services ignore it) */
  HAIDANG_API_KEY: z.string().optional(),
  HAIDANG_METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** fault injection for the reliability tests only: SIGKILL this process after N stored batches, before their commit */
  HAIDANG_FAULT_KILL_AFTER_BATCHES: intFromEnv(1, 1_000_000).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<z.infer<typeof configSchema>>;
const configKeys = Object.keys(configSchema.shape) as Array<keyof z.infer<typeof configSchema>>;

/** Reads the known keys from `env` (and refuses unknown HAIDANG_* ones), overlays `overrides`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, string | undefined> = {}): Config {
  const picked: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || v === '') continue;
    if ((configKeys as string[]).includes(k)) picked[k] = v;
    else if (k.startsWith('HAIDANG_')) picked[k] = v; // strictObject refuses it by name
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) picked[k] = v;
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || (i as { keys?: string[] }).keys?.join(', ') || '(config)'}: ${i.message}`);
    throw new HaiDangError('HD_CONFIG_INVALID', `invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.HAIDANG_CLICKHOUSE_CLUSTER && !parsed.data.CLICKHOUSE_URL)
    throw new HaiDangError('HD_CONFIG_INVALID', 'invalid configuration:\n  HAIDANG_CLICKHOUSE_CLUSTER: a cluster needs CLICKHOUSE_URL (one of its servers); chDB is one process');
  return Object.freeze(parsed.data);
}

/** one line saying what runs where, printed at start */
export function describeMode(c: Config): string {
  const log = c.KAFKA_BROKERS ? `Kafka ${c.KAFKA_BROKERS.join(',')}` : 'in-process log (embedded)';
  const store = c.CLICKHOUSE_URL ? `ClickHouse ${new URL(c.CLICKHOUSE_URL).host}${c.HAIDANG_CLICKHOUSE_CLUSTER ? ` (cluster ${c.HAIDANG_CLICKHOUSE_CLUSTER})` : ''}` : `chDB in ${c.HAIDANG_DATA_DIR}`;
  return `${c.KAFKA_BROKERS || c.CLICKHOUSE_URL ? 'distributed' : 'embedded'} mode: log = ${log}; store = ${store}`;
}
