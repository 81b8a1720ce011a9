import { startOpsServer, HaiDangError, collectOutsideHeapEvery, limitOldGenerationGrowth, tuneGlibcAllocator } from '@haidang/stream';
import { configFrom } from './flags.ts';
import { exitOnSignalOrCrash, openPipeline, reportProgress } from './pipeline.ts';

/** `haidang stream`: one processor worker in a Kafka consumer group. */
export async function runStream(flags: Record<string, unknown>): Promise<void> {
  const config = configFrom(flags);
  if (!config.KAFKA_BROKERS) {
    throw new HaiDangError('HD_CONFIG_INVALID', 'stream: set KAFKA_BROKERS (or --brokers) to join a Kafka consumer group; `haidang start` runs everything embedded');
  }
  // a worker's used batches, freed as they are made rather than 64 MiB at a time; and where its
  // store is elsewhere, what it frees handed back by glibc (tuned before the pipeline allocates)
  // and its old generation kept near what it holds. Not with chDB in the process: its column
  // buffers would be mapped and zeroed afresh at every block, and it is far from its own memory
  // aim (docs/benchmarks.md).
  const budgetMib = config.HAIDANG_STREAM_BUFFERS_MIB;
  const lean = budgetMib > 0 && config.CLICKHOUSE_URL !== undefined;
  const allocator = lean ? await tuneGlibcAllocator() : undefined;
  // and one fetch bounded for all its partitions together: two partitions' share, whether it owns two or all
  const fetchMib = lean ? (config.KAFKA_FETCH_MIB ?? 2 * config.KAFKA_FETCH_MIB_PER_PARTITION) : config.KAFKA_FETCH_MIB;
  const p = await openPipeline(fetchMib === undefined ? config : { ...config, KAFKA_FETCH_MIB: fetchMib }, 'stream');
  if (lean) p.logger.info({ fetchMib }, 'one fetch brings at most this many MiB for all partitions');
  if (allocator && 'skipped' in allocator) p.logger.info({ reason: allocator.skipped }, 'glibc allocator left as it is');
  else if (allocator) p.logger.info({ mmapThreshold: allocator.mmapThreshold, trimThreshold: allocator.trimThreshold }, 'glibc allocator: freed Buffers go back to the system');
  const budget = budgetMib ? collectOutsideHeapEvery(budgetMib, 200, allocator && 'trim' in allocator ? allocator.trim : undefined) : undefined;
  if (lean && limitOldGenerationGrowth(50) === 'set') p.logger.info({ heapGrowingPercent: 50 }, 'old generation grows at most 50 % past what a collection kept');
  const stopProgress = reportProgress(p);
  const ops = await startOpsServer({ host: config.HAIDANG_HOST, port: config.HAIDANG_OPS_PORT, metrics: p.metrics, checks: p.checks, logger: p.logger, metricsToken: config.HAIDANG_METRICS_TOKEN });
  exitOnSignalOrCrash(p, async () => {
    stopProgress();
    budget?.stop();
    await ops.close();
  });
}
