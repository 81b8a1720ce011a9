import { randomBytes } from 'node:crypto';
import { completeTornInserts, type Config, createLogger, type Gateway, openStore, ServiceMetrics, startGateway, startOpsServer, storeReachable } from '@haidang/stream';
import type { Logger } from 'pino';
import { configFrom } from './flags.ts';

/** `haidang store`: chDB behind ClickHouse's HTTP interface on loopback, for several processes on one machine. */
export async function runStore(flags: Record<string, unknown>): Promise<void> {
  const config = configFrom(flags);
  const logger = createLogger(config.LOG_LEVEL).child({ service: 'store' });
  const username = config.CLICKHOUSE_USER ?? 'default';
  const password = config.CLICKHOUSE_PASSWORD ?? randomBytes(18).toString('base64url');
  const gateway = await startGateway({ dataDir: config.HAIDANG_DATA_DIR, host: '127.0.0.1', port: config.HAIDANG_STORE_PORT, username, password, logger, soleWriter: true });
  const url = new URL(gateway.url);
  url.username = username;
  if (!config.CLICKHOUSE_PASSWORD) {
    url.password = password;
    // printed once, to the terminal only: no password lives in the repo or the config
    process.stdout.write(`CLICKHOUSE_URL=${url.toString()}\n`);
  }
  // ready = chDB answers a query through the gateway, the path every client takes
  const self = await openStore({ url: gateway.url, username, password, dataDir: config.HAIDANG_DATA_DIR });
  // an insert a crash of this store left half done (raw written, its views not) is completed
  // before workers redeliver it (harmless if one does meanwhile: the views are idempotent)
  await completeTornInserts(self.client, logger);
  const ops = await startOpsServer({ host: '127.0.0.1', port: config.HAIDANG_OPS_PORT, metrics: new ServiceMetrics('store'), checks: { chdb: storeReachable(self.client) }, logger, metricsToken: config.HAIDANG_METRICS_TOKEN });
  logger.info({ url: gateway.url }, 'store ready: point other processes at it with CLICKHOUSE_URL');
  const stop = async () => {
    await ops.close();
    await self.close();
    await gateway.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/**
 * `haidang start` in embedded mode with HAIDANG_STORE_HTTP_PASSWORD set: the one process also
 * serves its chDB folder as ClickHouse HTTP on loopback, to a read-only user, so Grafana (or
 * Metabase, DBeaver) can read the store while the pipeline runs. Off by default.
 */
export async function serveStoreHttp(config: Config, logger: Logger): Promise<Gateway | undefined> {
  if (!config.HAIDANG_STORE_HTTP_PASSWORD || config.CLICKHOUSE_URL) return undefined;
  // the full account is for nobody: only the read-only one is handed out
  const gateway = await startGateway({ dataDir: config.HAIDANG_DATA_DIR, host: '127.0.0.1', port: config.HAIDANG_STORE_PORT, username: `internal-${randomBytes(6).toString('hex')}`, password: randomBytes(18).toString('base64url'), readonlyUser: { username: config.HAIDANG_STORE_HTTP_USER, password: config.HAIDANG_STORE_HTTP_PASSWORD }, logger: logger.child({ component: 'store-http' }) });
  logger.info({ url: gateway.url, user: config.HAIDANG_STORE_HTTP_USER }, `store's ClickHouse HTTP interface at ${gateway.url} (read-only user ${config.HAIDANG_STORE_HTTP_USER})`);
  return gateway;
}
