import { errorOf, loadConfig, oneLine, type Config } from '@haidang/stream';

/** commander's parsed options → the config keys they override */
const flagToKey: Record<string, string> = {
  brokers: 'KAFKA_BROKERS',
  compression: 'KAFKA_COMPRESSION',
  clickhouse: 'CLICKHOUSE_URL',
  data: 'HAIDANG_DATA_DIR',
  partitions: 'HAIDANG_PARTITIONS',
  topicPrefix: 'HAIDANG_TOPIC_PREFIX',
  group: 'HAIDANG_GROUP',
  logLevel: 'LOG_LEVEL',
  rate: 'HAIDANG_SIM_RATE',
  seed: 'HAIDANG_SIM_SEED',
  speed: 'HAIDANG_SIM_SPEED',
  history: 'HAIDANG_SIM_HISTORY_HOURS',
  port: 'HAIDANG_PORT',
  storePort: 'HAIDANG_STORE_PORT',
  user: 'CLICKHOUSE_USER',
  password: 'CLICKHOUSE_PASSWORD',
  batchRows: 'HAIDANG_BATCH_ROWS',
  sessionTimeout: 'HAIDANG_SESSION_TIMEOUT_MS',
  opsPort: 'HAIDANG_OPS_PORT',
};

/** Validates environment + flags once; a wrong value stops start-up with its name. */
export function configFrom(flags: Record<string, unknown>): Config {
  const overrides: Record<string, string> = {};
  for (const [flag, value] of Object.entries(flags)) {
    const key = flagToKey[flag];
    if (key && value !== undefined && value !== '') overrides[key] = String(value);
  }
  try {
    return loadConfig(process.env, overrides);
  } catch (e) {
    process.stderr.write(`haidang: ${oneLine(errorOf(e))}\n`);
    process.exit(2);
  }
}
