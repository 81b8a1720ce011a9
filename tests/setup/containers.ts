import { randomBytes } from 'node:crypto';

/** something the global setup started: where to reach it, and how to stop it */
export interface Running {
  address: string;
  stop(): Promise<void>;
}

/**
 * A single-node Kafka (KRaft: cp-kafka 8 has no ZooKeeper) through @testcontainers/kafka, set
 * like infra/kafka/kafka.sh's broker so a test cannot pass on one and fail on the other: four
 * partitions, no topic auto-creation, replication factor 1 for the internal topics.
 */
export async function startKafkaContainer(image: string): Promise<Running> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const kafka = await new KafkaContainer(image)
    .withEnvironment({
      KAFKA_NUM_PARTITIONS: '4',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '4',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_DEFAULT_REPLICATION_FACTOR: '1',
      KAFKA_MIN_INSYNC_REPLICAS: '1',
    })
    .start();
  // 9093 is the module's plaintext listener advertised to the host
  return { address: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`, stop: async () => void (await kafka.stop()) };
}

/** A ClickHouse server through @testcontainers/clickhouse; its address is a URL with credentials and database. */
export async function startClickHouseContainer(image: string): Promise<Running> {
  const { ClickHouseContainer } = await import('@testcontainers/clickhouse');
  const clickhouse = await new ClickHouseContainer(image).withUsername('haidang').withPassword(randomBytes(12).toString('hex')).withDatabase('haidang').start();
  return { address: clickhouse.getConnectionUrl(), stop: async () => void (await clickhouse.stop()) };
}
