import { brokerReachable, completeTornInserts, createLogger, describeMode, migrate, migrations, migrationsApplied, openStore, storeOptionsFrom, openTransport, partitionsMoving, Processor, ServiceMetrics, storeLogPositions, storeReachable, TopicNames, type Config, type Logger, type ReadinessCheck, type Store, type Subscription, type Transport } from '@haidang/stream';

export interface Pipeline {
  config: Config;
  logger: Logger;
  store: Store;
  transport: Transport;
  topics: TopicNames;
  processor: Processor;
  subscription: Subscription;
  /** Prometheus metrics of this process (processor figures, consumer lag) */
  metrics: ServiceMetrics;
  /** what /readyz checks: store, migrations, broker */
  checks: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

/**
 * The spine every mode shares: open the store and migrate it, open the log, create the
 * topics, start the processor. Embedded and distributed differ only in the config.
 */
export async function openPipeline(config: Config, service: string): Promise<Pipeline> {
  const logger = createLogger(config.LOG_LEVEL).child({ service });
  logger.info({ mode: describeMode(config) }, describeMode(config));
  const store = await openStore(storeOptionsFrom(config));
  await migrate(store.client, logger, undefined, { cluster: config.HAIDANG_CLICKHOUSE_CLUSTER });
  // this process owns the folder: an insert a crash left half done is completed before anything is redelivered
  if (store.mode === 'chdb') await completeTornInserts(store.client, logger);
  // the in-process log keeps its offsets in the store, so they never repeat after a restart
  const transport = openTransport(config, logger, `haidang-${service}`, { positions: storeLogPositions(store.client) });
  const topics = new TopicNames(config.HAIDANG_TOPIC_PREFIX);
  await transport.ensureTopics(topics.all(), config.HAIDANG_PARTITIONS);
  const metrics = new ServiceMetrics(service);
  const processor = new Processor({ transport, store: store.client, logger: logger.child({ component: 'processor' }), topics, groupId: config.HAIDANG_GROUP, maxBatchRows: config.HAIDANG_BATCH_ROWS, soleWriter: store.mode !== 'server', onBatch: (b) => metrics.recordBatch(b) });
  metrics.followProcessor(() => processor.counters);
  metrics.followStuck(() => processor.stuck());
  metrics.readLagFrom(() => transport.lag(config.HAIDANG_GROUP, processor.topicList));
  const checks = { store: storeReachable(store.client), migrations: migrationsApplied(store.client, [migrations]), broker: brokerReachable(transport, config.HAIDANG_GROUP, processor.topicList), partitions: partitionsMoving((ms) => processor.stuck(ms)) };
  const killAfter = config.HAIDANG_FAULT_KILL_AFTER_BATCHES;
  if (killAfter) {
    // stored, not yet committed: the worst moment to die (test-only, see config.ts). Only when
    // no other partition's insert is under way: a kill inside one is another case (a torn
    // insert, docs: the SIGKILL mid-run test), not the moment this hook is for
    let batches = 0;
    processor.onStored(() => {
      if (++batches >= killAfter && !processor.inserting) process.kill(process.pid, 'SIGKILL');
    });
  }
  const subscription = await processor.start();
  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    store,
    transport,
    topics,
    processor,
    subscription,
    metrics,
    checks,
    close: () =>
      (closing ??= (async () => {
        await processor.stop();
        await transport.close();
        await store.close();
      })()),
  };
}

/** A progress line every few seconds: what was consumed, stored and dead-lettered, and how fast. */
export function reportProgress(p: Pipeline, everyMs = 5_000): () => void {
  let last = 0;
  let lastAt = Date.now();
  const timer = setInterval(async () => {
    const c = p.processor.counters;
    const now = Date.now();
    const rate = Math.round(((c.stored - last) * 1000) / (now - lastAt));
    last = c.stored;
    lastAt = now;
    const lag = (await p.transport.lag(p.config.HAIDANG_GROUP, p.processor.topicList).catch(() => [])).reduce((a, l) => a + l.lag, 0);
    // rows a chunk: the store's cost of an event depends on it far more than on anything per row (docs/benchmarks.md)
    const rowsPerInsert = c.inserts ? Math.round(c.stored / c.inserts) : 0;
    p.logger.info({ stored: c.stored, deadLettered: c.deadLettered, alreadyStored: c.alreadyStored, perSecond: rate, lag, inserts: c.inserts, rowsPerInsert }, `stored ${c.stored} (${rate}/s) in ${c.inserts} inserts of ${rowsPerInsert} rows on average, dead-lettered ${c.deadLettered}, lag ${lag}`);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * SIGINT/SIGTERM (or `shutdown` called by the service): run `stop` once, bounded by 20 s,
 * then exit with `code`; an error while stopping exits 1.
 */
export function exitOnSignal(logger: Logger, stop: () => Promise<void>): { stopping(): boolean; shutdown(reason: string, code?: number): Promise<void> } {
  let stopping = false;
  const shutdown = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: reason }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 20 s: exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    try {
      await stop();
      logger.info('stopped cleanly');
      process.exit(code);
    } catch (e) {
      logger.error({ err: e }, 'error while stopping');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  return { stopping: () => stopping, shutdown };
}

/** SIGINT/SIGTERM: stop taking work, finish the batch, commit, close; a crashed consumer exits non-zero. */
export function exitOnSignalOrCrash(p: Pipeline, stop: () => Promise<void>): void {
  const signals = exitOnSignal(p.logger, async () => {
    await stop();
    await p.close();
  });
  // the transport restarts a consumer that crashed on what a member survives; `done` settles
  // only when it keeps crashing (or, in the memory log, a handler keeps failing)
  p.subscription.done.then(
    () => {
      if (!signals.stopping()) {
        p.logger.fatal('consumer stopped unexpectedly');
        process.exit(1);
      }
    },
    (e: unknown) => {
      p.logger.fatal({ err: e }, 'consumer keeps crashing: exiting for a supervisor to restart it');
      process.exit(1);
    },
  );
}
