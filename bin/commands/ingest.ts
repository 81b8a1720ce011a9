import { existsSync } from 'node:fs';
import { loadCityPack } from '@haidang/city';
import { createPollers, loadPollersConfig, replay } from '@haidang/ingest';
import { brokerReachable, createLogger, migrate, openStore, storeOptionsFrom, openTransport, ServiceMetrics, startOpsServer, storeReachable, TopicNames, type Config, HaiDangError } from '@haidang/stream';
import { countPublished } from './counted-transport.ts';
import { configFrom } from './flags.ts';
import { exitOnSignal } from './pipeline.ts';
import { startCitySimulator } from './simulator.ts';

/** the one line printed at start: where events go and what produces them */
function describeIngest(config: Config, o: { pollers?: string; replay?: string }): string {
  const producers = [
    config.HAIDANG_SIM_RATE > 0 ? `simulator at ${config.HAIDANG_SIM_RATE} events/s (seed ${config.HAIDANG_SIM_SEED}, ×${config.HAIDANG_SIM_SPEED}, ${config.HAIDANG_SIM_HISTORY_HOURS} h of history)` : '',
    o.pollers ? `pollers of ${o.pollers} (cursors in ${config.CLICKHOUSE_URL ? `ClickHouse ${new URL(config.CLICKHOUSE_URL).host}` : `chDB in ${config.HAIDANG_DATA_DIR}`})` : '',
    o.replay ? `replay of ${o.replay}` : '',
  ].filter(Boolean);
  return `distributed mode: ingest publishing to Kafka ${config.KAFKA_BROKERS!.join(',')}: ${producers.join('; ')}${o.pollers ? '' : '; no store'}`;
}

/**
 * `haidang ingest`: the producers alone (simulator, pollers, a replayed file) publishing to
 * Kafka, for the distributed set where `haidang stream` workers store and `haidang api`
 * serves. Only the pollers need the store (their cursors and the ids already held), so it is
 * opened only with --pollers. Serves /healthz, /readyz (broker, and store with pollers) and
 * /metrics (`haidang_events_published_total{stream}`) on HAIDANG_OPS_PORT.
 */
export async function runIngest(flags: Record<string, unknown>): Promise<void> {
  const { pollers: pollersFile, replay: replayFile, ...serviceFlags } = flags as Record<string, unknown> & { pollers?: string; replay?: string };
  const config = configFrom(serviceFlags);
  if (!config.KAFKA_BROKERS) {
    // on the embedded log nothing would store what this process publishes, and no other process could read it
    throw new HaiDangError('HD_CONFIG_INVALID', 'ingest: set KAFKA_BROKERS (or --brokers): ingest publishes to Kafka for `haidang stream` workers to store; `haidang start` runs everything in one process');
  }
  if (config.HAIDANG_SIM_RATE <= 0 && !pollersFile && !replayFile) {
    throw new HaiDangError('HD_CONFIG_INVALID', 'ingest: nothing to publish: give a simulator rate above 0, --pollers <file> or --replay <ndjson>');
  }
  if (replayFile && !existsSync(replayFile)) {
    throw new HaiDangError('HD_CONFIG_INVALID', `ingest: --replay ${replayFile}: no such file`);
  }
  // a bad pollers file stops start-up before anything opens
  const pollersConfig = pollersFile ? await loadPollersConfig(pollersFile) : undefined;
  const logger = createLogger(config.LOG_LEVEL).child({ service: 'ingest' });
  const mode = describeIngest(config, { pollers: pollersFile, replay: replayFile });
  logger.info({ mode }, mode);

  const topics = new TopicNames(config.HAIDANG_TOPIC_PREFIX);
  const metrics = new ServiceMetrics('ingest');
  const transport = countPublished(openTransport(config, logger, 'haidang-ingest'), topics, metrics);
  await transport.ensureTopics(topics.all(), config.HAIDANG_PARTITIONS);
  const store = pollersConfig ? await openStore(storeOptionsFrom(config)) : undefined;
  if (store) await migrate(store.client, logger, undefined, { cluster: config.HAIDANG_CLICKHOUSE_CLUSTER });
  const checks = { broker: brokerReachable(transport, config.HAIDANG_GROUP, topics.all()), ...(store ? { store: storeReachable(store.client) } : {}) };
  const ops = await startOpsServer({ host: config.HAIDANG_HOST, port: config.HAIDANG_OPS_PORT, metrics, checks, logger, metricsToken: config.HAIDANG_METRICS_TOKEN });

  const pollers = pollersConfig && store ? await createPollers({ config: pollersConfig, pack: await loadCityPack(), transport, topics, store: store.client, logger }) : undefined;
  const sim = startCitySimulator(config, transport, topics, logger);
  pollers?.start();

  const signals = exitOnSignal(logger, async () => {
    // stop producing; every publish in flight resolves (acks=-1) before the producer disconnects
    await sim?.stop();
    await pollers?.stop();
    await ops.close();
    await transport.close();
    await store?.close();
  });
  sim?.done.catch((e: unknown) => {
    if (signals.stopping()) return;
    logger.fatal({ err: e }, 'simulator could not publish: exiting for a supervisor to restart it');
    process.exit(1);
  });
  logger.info('ingest is running; Ctrl-C stops it');
  if (replayFile) {
    const result = await replay(replayFile, { transport, topics, logger }).catch((e: unknown) => {
      if (signals.stopping()) return undefined; // stopped mid-file: the producer is gone
      logger.fatal({ err: e, file: replayFile }, `replay failed: ${(e as Error).message}`);
      process.exit(1);
    });
    if (!result) return;
    logger.info({ published: result.published, byStream: result.byStream, rejected: result.rejected.length }, `replayed ${result.published} events from ${replayFile}; lines refused: ${result.rejected.length}`);
    // replay alone: done once the file is published; exit 1 when lines were refused, as `haidang import` does
    if (!sim && !pollers) await signals.shutdown('replay finished', result.rejected.length ? 1 : 0);
  }
}
