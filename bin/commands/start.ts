import { loadCityPack } from '@haidang/city';
import { createPollers, loadPollersConfig } from '@haidang/ingest';
import { takeApiConfig } from '@haidang/api';
import { startApi } from './api.ts';
import { configFrom } from './flags.ts';
import { exitOnSignalOrCrash, openPipeline, reportProgress } from './pipeline.ts';
import { startCitySimulator } from './simulator.ts';
import { serveStoreHttp } from './store.ts';

/** `haidang start`: everything in one process; embedded unless KAFKA_BROKERS / CLICKHOUSE_URL say otherwise. */
export async function runStart(flags: Record<string, unknown>): Promise<void> {
  const apiConfig = takeApiConfig(); // before configFrom: it refuses HAIDANG_* keys it does not know
  const config = configFrom(flags);
  // --pollers <file>: pollers of external systems beside the simulator; a bad file stops start-up before anything opens
  const pollersConfig = typeof flags.pollers === 'string' ? await loadPollersConfig(flags.pollers) : undefined;
  const p = await openPipeline(config, 'start');
  const ops = { metrics: p.metrics, checks: p.checks, metricsToken: config.HAIDANG_METRICS_TOKEN };
  const pollers = pollersConfig ? await createPollers({ config: pollersConfig, pack: await loadCityPack(), transport: p.transport, topics: p.topics, store: p.store.client, logger: p.logger }) : undefined;
  // source health shows the pollers this process runs beside the sources seen in the store
  const api = await startApi({ config, logger: p.logger, store: p.store.client, processor: p.processor, ops, transport: p.transport, topics: p.topics, sourceHealth: pollers ? { pollers: pollers.health } : undefined }, apiConfig, config.HAIDANG_PORT);
  p.logger.info({ url: api.url }, `api at ${api.url}/api/v1 (docs: ${api.url}/docs)`);
  const storeHttp = await serveStoreHttp(config, p.logger);
  const sim = startCitySimulator(config, p.transport, p.topics, p.logger);
  pollers?.start();
  const stopProgress = reportProgress(p);
  p.logger.info('Hải Đăng is running; Ctrl-C stops it');
  exitOnSignalOrCrash(p, async () => {
    stopProgress();
    await sim?.stop();
    await pollers?.stop();
    await api.close();
    await storeHttp?.close();
  });
}
