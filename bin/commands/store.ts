import { randomBytes } from 'node:crypto';
import { createLogger, openStore, ServiceMetrics, startGateway, startOpsServer, storeReachable } from '@haidang/stream';
import { configFrom } from './flags.ts';

/** `haidang store`: chDB behind ClickHouse's HTTP interface on loopback, for several processes on one machine. */
export async function runStore(flags: Record<string, unknown>): Promise<void> {
  const config = configFrom(flags);
  const logger = createLogger(config.LOG_LEVEL).child({ service: 'store' });
  const username = config.CLICKHOUSE_USER ?? 'default';
  const password = config.CLICKHOUSE_PASSWORD ?? randomBytes(18).toString('base64url');
  const gateway = await startGateway({ dataDir: config.HAIDANG_DATA_DIR, host: '127.0.0.1', port: config.HAIDANG_STORE_PORT, username, password, logger });
  const url = new URL(gateway.url);
  url.username = username;
  if (!config.CLICKHOUSE_PASSWORD) {
    url.password = password;
    // printed once, to the terminal only: no password lives in the repo or the config
    process.stdout.write(`CLICKHOUSE_URL=${url.toString()}\n`);
  }
  // ready = chDB answers a query through the gateway, the path every client takes
  const self = await openStore({ url: gateway.url, username, password, dataDir: config.HAIDANG_DATA_DIR });
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
