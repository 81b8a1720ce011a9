import { describe, expect, inject, it } from 'vitest';
import { probeDocker } from './setup/docker-probe.ts';
import { chooseInfrastructure, clickhouseImage, kafkaImage, type DockerProbe } from './setup/test-infra.ts';

const docker: DockerProbe = { reachable: true, engine: 'unix:///var/run/docker.sock (Debian GNU/Linux 13)' };
const noDocker: DockerProbe = { reachable: false, reason: 'Could not find a working container runtime strategy' };

describe('what the integration tests run on', () => {
  it('KAFKA_BROKERS wins for Kafka, with or without Docker', () => {
    const withDocker = chooseInfrastructure({ env: { KAFKA_BROKERS: 'kafka.lan:9092' }, docker });
    expect(withDocker.kafka).toEqual({ kind: 'given', brokers: 'kafka.lan:9092' });
    expect(withDocker.clickhouse).toEqual({ kind: 'container', image: clickhouseImage });
    const without = chooseInfrastructure({ env: { KAFKA_BROKERS: 'kafka.lan:9092' }, docker: noDocker });
    expect(without.kafka).toEqual({ kind: 'given', brokers: 'kafka.lan:9092' });
    expect(without.summary).toBe('test infrastructure: no Docker engine (Could not find a working container runtime strategy): Kafka at kafka.lan:9092 (KAFKA_BROKERS) and chDB');
  });

  it('a Docker engine: Kafka and ClickHouse in containers', () => {
    const plan = chooseInfrastructure({ env: {}, docker });
    expect(plan.kafka).toEqual({ kind: 'container', image: kafkaImage });
    expect(plan.clickhouse).toEqual({ kind: 'container', image: clickhouseImage });
    expect(plan.summary).toBe(`test infrastructure: Docker engine at unix:///var/run/docker.sock (Debian GNU/Linux 13): Kafka in a container (${kafkaImage}) and a ClickHouse container (${clickhouseImage}) besides chDB`);
  });

  it('no Docker engine: the local broker and chDB, not a skip, and the line says why', () => {
    for (const env of [{}, { KAFKA_BROKERS: '' }, { KAFKA_BROKERS: '  ' }]) {
      const plan = chooseInfrastructure({ env, docker: noDocker });
      expect(plan.kafka).toEqual({ kind: 'local' });
      expect(plan.clickhouse).toEqual({ kind: 'chdb', because: 'no Docker engine (Could not find a working container runtime strategy)' });
      expect(plan.summary).toBe('test infrastructure: no Docker engine (Could not find a working container runtime strategy): local Kafka from infra/kafka and chDB');
    }
  });

  it('the global setup of this run followed the choice for this machine', async () => {
    const plan = chooseInfrastructure({ env: process.env, docker: await probeDocker() });
    const server = inject('clickhouseServer');
    if (plan.clickhouse.kind === 'container') expect(server).toMatchObject({ image: plan.clickhouse.image, url: expect.stringMatching(/^http:\/\//) });
    else expect(server).toEqual({ unavailable: plan.clickhouse.because });
    if (plan.kafka.kind === 'local') expect(inject('kafkaBrokers')).toMatch(/^127\.0\.0\.1:\d+$/);
    if (plan.kafka.kind === 'given') expect(inject('kafkaBrokers')).toBe(plan.kafka.brokers);
  });
});
