import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { KafkaTransport } from './kafka.ts';
import { MemoryTransport } from './memory.ts';
import type { Transport } from './transport.ts';

/** Kafka when brokers are configured, otherwise the in-process log whose publish waits for the processor's commit */
export function openTransport(config: Config, logger: Logger, clientId: string): Transport {
  if (config.KAFKA_BROKERS) {
    return new KafkaTransport({ brokers: config.KAFKA_BROKERS, clientId, logger, sessionTimeoutMs: config.HAIDANG_SESSION_TIMEOUT_MS, compression: config.KAFKA_COMPRESSION });
  }
  return new MemoryTransport({ durableGroups: [config.HAIDANG_GROUP] });
}
