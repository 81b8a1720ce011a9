import { createLogger, describeMode, migrate, openStore, storeOptionsFrom } from '@haidang/stream';
import { configFrom } from './flags.ts';

/** `haidang migrate`: bring the store's schema up to date and exit. */
export async function runMigrate(flags: Record<string, unknown>): Promise<void> {
  const config = configFrom(flags);
  const logger = createLogger(config.LOG_LEVEL).child({ service: 'migrate' });
  logger.info(describeMode(config));
  const store = await openStore(storeOptionsFrom(config));
  const applied = await migrate(store.client, logger, undefined, { cluster: config.HAIDANG_CLICKHOUSE_CLUSTER });
  logger.info({ applied }, applied.length ? `applied migrations ${applied.join(', ')}` : 'schema up to date');
  await store.close();
}
