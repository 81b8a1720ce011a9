import { startOpsServer, HaiDangError, collectOutsideHeapEvery } from '@haidang/stream';
import { configFrom } from './flags.ts';
import { exitOnSignalOrCrash, openPipeline, reportProgress } from './pipeline.ts';

/** `haidang stream`: one processor worker in a Kafka consumer group. */
export async function runStream(flags: Record<string, unknown>): Promise<void> {
  const config = configFrom(flags);
  if (!config.KAFKA_BROKERS) {
    throw new HaiDangError('HD_CONFIG_INVALID', 'stream: set KAFKA_BROKERS (or --brokers) to join a Kafka consumer group; `haidang start` runs everything embedded');
  }
  const p = await openPipeline(config, 'stream');
  // a worker's used batches, freed as they are made rather than 64 MiB at a time (docs/benchmarks.md)
  const budget = config.HAIDANG_STREAM_BUFFERS_MIB ? collectOutsideHeapEvery(config.HAIDANG_STREAM_BUFFERS_MIB) : undefined;
  const stopProgress = reportProgress(p);
  const ops = await startOpsServer({ host: config.HAIDANG_HOST, port: config.HAIDANG_OPS_PORT, metrics: p.metrics, checks: p.checks, logger: p.logger, metricsToken: config.HAIDANG_METRICS_TOKEN });
  exitOnSignalOrCrash(p, async () => {
    stopProgress();
    budget?.stop();
    await ops.close();
  });
}
