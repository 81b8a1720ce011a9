import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startClickHouseContainer, startKafkaContainer, type Running } from './containers.ts';
import { probeDocker } from './docker-probe.ts';
import { startLocalKafka } from './local-kafka.ts';
import { chooseInfrastructure } from './test-infra.ts';

/**
 * The integration suite's global setup. Kafka: KAFKA_BROKERS when set, else a Kafka container
 * when a Docker engine answers, else the local broker from infra/kafka. ClickHouse: a container
 * when Docker answers (the store suites then run against a real server too), else chDB only.
 * Tests read `inject('kafkaBrokers')` and `inject('clickhouseServer')`; each uses its own topic
 * prefix, group and store, so they never see each other.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const plan = chooseInfrastructure({ env: process.env, docker: await probeDocker() });
  process.stderr.write(`${plan.summary}\n`);

  const kafka = plan.kafka;
  const clickhouse = plan.clickhouse;
  const starting: [Promise<Running>, Promise<Running | undefined>] = [
    kafka.kind === 'given' ? Promise.resolve({ address: kafka.brokers, stop: async () => {} }) : kafka.kind === 'container' ? startKafkaContainer(kafka.image) : startLocalKafka(),
    clickhouse.kind === 'container' ? startClickHouseContainer(clickhouse.image) : Promise.resolve(undefined),
  ];
  const [k, c] = await Promise.allSettled(starting);
  const started = [k, c].flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  const stopAll = async () => void (await Promise.allSettled(started.map((s) => s.stop())));
  if (k.status === 'rejected' || c.status === 'rejected') {
    await stopAll();
    // a Docker engine that answers but cannot start the containers is a fault to see, not a reason to fall back
    const [what, cause] = k.status === 'rejected' ? [`Kafka (${kafka.kind})`, k.reason] : [`ClickHouse (${clickhouse.kind})`, (c as PromiseRejectedResult).reason];
    throw new Error(`${what} did not start for the integration tests (${plan.summary})`, { cause });
  }

  project.provide('kafkaBrokers', k.value.address);
  project.provide('clickhouseServer', clickhouse.kind === 'container' && c.value ? { url: c.value.address, image: clickhouse.image } : { unavailable: clickhouse.kind === 'chdb' ? clickhouse.because : 'not started' });
  return stopAll;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    /** a ClickHouse server the store suites run against too, or why there is none */
    clickhouseServer: { url: string; image: string } | { unavailable: string };
  }
}
