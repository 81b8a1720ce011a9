import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { KafkaTransport } from './kafka.ts';
import { MemoryTransport, type LogPositions } from './memory.ts';
import type { Transport } from './transport.ts';

/**
 * Kafka when brokers are configured, otherwise the in-process log whose publish waits for the
 * processor's commit; `positions` (the store's) keep its offsets from repeating across restarts.
 */
export function openTransport(config: Config, logger: Logger, clientId: string, o: { positions?: LogPositions } = {}): Transport {
  if (config.KAFKA_BROKERS) {
    return new KafkaTransport({ brokers: config.KAFKA_BROKERS, clientId, logger, sessionTimeoutMs: config.HAIDANG_SESSION_TIMEOUT_MS, compression: config.KAFKA_COMPRESSION, maxBytesPerPartition: config.KAFKA_FETCH_MIB_PER_PARTITION * 1024 * 1024, ...(config.KAFKA_FETCH_MIB ? { maxBytes: config.KAFKA_FETCH_MIB * 1024 * 1024 } : {}) });
  }
  return new MemoryTransport({
    durableGroups: [config.HAIDANG_GROUP],
    ...(o.positions ? { positions: o.positions } : {}),
    onHandlerError: (e, where) => logger.error({ ...where, err: (e as Error).message }, `in-process log: handler failed ${where.failures} time(s) in a row; redelivering from the committed offset${where.failures >= 50 ? ' — giving up' : ''}`),
  });
}
