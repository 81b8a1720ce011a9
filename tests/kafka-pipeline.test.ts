import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TopicNames, type KafkaTransport } from '@haidang/stream';
import { capacityJson, validBatch } from './fixtures.ts';
import { kafkaClient, repoRoot, scenario, sql, startHaidang, waitForLagZero } from './setup/processes.ts';

const brokers = inject('kafkaBrokers');
let kafka: KafkaTransport;
beforeAll(() => {
  kafka = kafkaClient(brokers);
});
afterAll(async () => kafka.close());

function streamEnv(s: ReturnType<typeof scenario>, extra: Record<string, string> = {}) {
  return { KAFKA_BROKERS: brokers, HAIDANG_TOPIC_PREFIX: s.prefix, HAIDANG_GROUP: s.group, HAIDANG_DATA_DIR: s.dataDir, HAIDANG_PARTITIONS: '4', ...extra };
}

describe('over a real Kafka broker', () => {
  it('stores exactly the valid events and dead-letters every malformed one, and keeps running', async () => {
    const s = scenario('mixed');
    const topics = new TopicNames(s.prefix);
    await kafka.ensureTopics(topics.all(), 4);
    const n = 3_000;
    const bad = [
      { key: 'facility-1', value: '{"id": "broken' },
      { key: 'facility-1', value: capacityJson('facility-1', 1).replace('"bedsTotal":200', '"bedsTotal":"200"') },
      { key: 'facility-1', value: capacityJson('facility-1', 2).replace('"version":1', '"version":7') },
      { key: 'facility-1', value: capacityJson('facility-1', 3).replace('"entity":"facility-1",', '') },
    ];
    const good = validBatch(n);
    await kafka.publish(topics.of('capacity'), [...good.slice(0, 1000), ...bad, ...good.slice(1000)]);
    const svc = startHaidang(['stream'], streamEnv(s));
    await waitForLagZero(kafka, s.group, [topics.of('capacity')]);
    // more good data after the poison: still flowing
    await kafka.publish(topics.of('capacity'), validBatch(100).map((m, i) => ({ key: m.key, value: capacityJson(m.key, 10_000 + i) })));
    await waitForLagZero(kafka, s.group, [topics.of('capacity')]);
    expect(svc.alive()).toBe(true);
    svc.signal('SIGTERM');
    expect((await svc.exited).code).toBe(0);
    const [r] = await sql(s.dataDir, 'SELECT count() n, uniqExact(id) u FROM capacity_raw');
    expect([Number(r!.n), Number(r!.u)]).toEqual([n + 100, n + 100]);
    const dead = await sql(s.dataDir, 'SELECT reason, field FROM deadletter ORDER BY reason, field');
    expect(dead).toEqual([
      { reason: 'HD_EVENT_INVALID', field: 'entity' },
      { reason: 'HD_EVENT_INVALID', field: 'payload.bedsTotal' },
      { reason: 'HD_EVENT_NOT_JSON', field: '(event)' },
      { reason: 'HD_EVENT_UNSUPPORTED_VERSION', field: 'version' },
    ]);
  });

  it("stores events written by Kafka's own console producer, following the documented contract", async () => {
    const s = scenario('console');
    const topics = new TopicNames(s.prefix);
    await kafka.ensureTopics(topics.all(), 4);
    const lines = `${Array.from({ length: 25 }, (_, i) => `facility-${i % 3}|${capacityJson(`facility-${i % 3}`, i)}`).join('\n')}\n`;
    await new Promise<void>((resolve, reject) => {
      const p = spawn('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), 'run-class', 'org.apache.kafka.tools.ConsoleProducer', '--bootstrap-server', brokers, '--topic', topics.of('capacity'), '--property', 'parse.key=true', '--property', 'key.separator=|'], { stdio: ['pipe', 'inherit', 'inherit'] });
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`console producer exited ${code}`))));
      p.stdin.end(lines);
    });
    const svc = startHaidang(['stream'], streamEnv(s));
    await waitForLagZero(kafka, s.group, [topics.of('capacity')]);
    svc.signal('SIGTERM');
    expect((await svc.exited).code).toBe(0);
    const [r] = await sql(s.dataDir, 'SELECT count() n, uniqExact(id) u FROM capacity_raw');
    expect([Number(r!.n), Number(r!.u)]).toEqual([25, 25]);
  });
});
