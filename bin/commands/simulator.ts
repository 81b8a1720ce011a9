import { startSimulator, type SimulatorHandle } from '@haidang/ingest';
import type { Config, Logger, TopicNames, Transport } from '@haidang/stream';

/** The simulated city as `start` and `ingest` run it, from HAIDANG_SIM_*; none when the rate is 0. */
export function startCitySimulator(config: Config, transport: Transport, topics: TopicNames, logger: Logger): SimulatorHandle | undefined {
  if (config.HAIDANG_SIM_RATE <= 0) return undefined;
  return startSimulator({
    transport,
    topics,
    logger: logger.child({ component: 'simulator' }),
    rate: config.HAIDANG_SIM_RATE,
    seed: config.HAIDANG_SIM_SEED,
    speed: config.HAIDANG_SIM_SPEED,
    // begin in the past: the history is published at once (rate-capped), then the city runs live
    start: Date.now() - config.HAIDANG_SIM_HISTORY_HOURS * 3_600_000,
  });
}
