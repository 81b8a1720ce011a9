import { startSimulator } from '@haidang/ingest';
import { configFrom } from './flags.ts';
import { exitOnSignalOrCrash, openPipeline, reportProgress } from './pipeline.ts';

/** `haidang start`: everything in one process; embedded unless KAFKA_BROKERS / CLICKHOUSE_URL say otherwise. */
export async function runStart(flags: Record<string, unknown>): Promise<void> {
  const config = configFrom(flags);
  const p = await openPipeline(config, 'start');
  const sim = config.HAIDANG_SIM_RATE > 0
    ? startSimulator({ transport: p.transport, topics: p.topics, logger: p.logger.child({ component: 'simulator' }), rate: config.HAIDANG_SIM_RATE, seed: config.HAIDANG_SIM_SEED })
    : undefined;
  const stopProgress = reportProgress(p);
  p.logger.info('Hải Đăng is running; Ctrl-C stops it');
  exitOnSignalOrCrash(p, async () => {
    stopProgress();
    await sim?.stop();
  });
}
