/**
 * What the integration suite runs on, decided from the environment and whether a Docker engine
 * answers. Pure, so the choice itself is tested (tests/test-infra.test.ts) on machines that have
 * no Docker engine: those must still run everything, on the local broker and chDB.
 */

/** pinned images: cp-kafka 8.1 is Kafka 4.1 (our Maven broker is 4.1.1); ClickHouse as in infra/docker-compose.yml */
export const kafkaImage = 'confluentinc/cp-kafka:8.1.1';
export const clickhouseImage = 'clickhouse/clickhouse-server:25.8';

export type DockerProbe = { reachable: true; engine: string } | { reachable: false; reason: string };

type KafkaChoice = { kind: 'given'; brokers: string } | { kind: 'container'; image: string } | { kind: 'local' };
/** `chdb`: no ClickHouse server; the suites run on chDB in-process and through `haidang store` only */
type ClickHouseChoice = { kind: 'container'; image: string } | { kind: 'chdb'; because: string };

export interface Infrastructure {
  kafka: KafkaChoice;
  clickhouse: ClickHouseChoice;
  /** the one line the global setup prints: what it chose and why */
  summary: string;
}

export function chooseInfrastructure({ env, docker }: { env: Record<string, string | undefined>; docker: DockerProbe }): Infrastructure {
  // KAFKA_BROKERS='' is how a test says "no Kafka" to a child process: empty means unset
  const given = env.KAFKA_BROKERS?.trim();
  const kafka: KafkaChoice = given ? { kind: 'given', brokers: given } : docker.reachable ? { kind: 'container', image: kafkaImage } : { kind: 'local' };
  const clickhouse: ClickHouseChoice = docker.reachable ? { kind: 'container', image: clickhouseImage } : { kind: 'chdb', because: `no Docker engine (${docker.reason})` };
  const why = docker.reachable ? `Docker engine at ${docker.engine}` : `no Docker engine (${docker.reason})`;
  const kafkaText = { given: `Kafka at ${given} (KAFKA_BROKERS)`, container: `Kafka in a container (${kafkaImage})`, local: 'local Kafka from infra/kafka' }[kafka.kind];
  const storeText = clickhouse.kind === 'container' ? `a ClickHouse container (${clickhouseImage}) besides chDB` : 'chDB';
  return { kafka, clickhouse, summary: `test infrastructure: ${why}: ${kafkaText} and ${storeText}` };
}
