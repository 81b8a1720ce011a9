import pino from 'pino';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { migrate, Processor, TopicNames, type KafkaTransport, type Store } from '@haidang/stream';
import { queryRows, tempStore } from '../stream/test/fixtures/temp-store.ts';
import { capacityJson } from './fixtures.ts';
import { kcatProduce } from './setup/kcat.ts';
import { kafkaClient, scenario, waitForLagZero } from './setup/processes.ts';

/**
 * A record batch the consumer cannot decode, over a real broker: kcat writes gzip, zstd and lz4
 * batches; this process then reads zstd as kafkajs did before Hải Đăng registered codecs
 * ("ZSTD compression not implemented", which used to crash-loop the worker and wedge the
 * partition). The zstd batch is dead-lettered as one letter per batch with its offset range,
 * every event before and after it is stored, and the group commits to the end.
 */
const brokers = inject('kafkaBrokers');
let kafka: KafkaTransport;
let store: Store;
beforeAll(async () => {
  kafka = kafkaClient(brokers);
  store = await tempStore();
  await migrate(store.client);
});
afterAll(async () => {
  await kafka.close();
  await store.close();
});

it('dead-letters a batch it cannot decode with its offset range and stores everything around it', async () => {
  const s = scenario('poison-batch');
  const topics = new TopicNames(s.prefix);
  await kafka.ensureTopics(topics.all(), 1);
  const topic = topics.of('capacity');
  let i = 0;
  const lines = (n: number) => Array.from({ length: n }, () => Buffer.from(`facility-1|${capacityJson('facility-1', i++)}`));
  await kcatProduce(brokers, topic, 'gzip', lines(5));
  await kcatProduce(brokers, topic, 'zstd', lines(7));
  await kcatProduce(brokers, topic, 'lz4', lines(5));

  const table = kafkajs.CompressionCodecs as unknown as Record<number, () => unknown>;
  const zstd = table[kafkajs.CompressionTypes.ZSTD]!;
  table[kafkajs.CompressionTypes.ZSTD] = () => {
    throw Object.assign(new Error('ZSTD compression not implemented'), { name: 'KafkaJSNotImplemented' });
  };
  const processor = new Processor({ transport: kafka, store: store.client, logger: pino({ level: 'silent' }), topics, groupId: s.group, streams: ['capacity'] });
  try {
    await processor.start();
    await waitForLagZero(kafka, s.group, [topic]);
  } finally {
    await processor.stop();
    table[kafkajs.CompressionTypes.ZSTD] = zstd;
  }
  const stored = await queryRows<{ o: string }>(store, 'SELECT toString(log_offset) o FROM capacity_raw ORDER BY log_offset');
  expect(stored.map((r) => Number(r.o))).toEqual([0, 1, 2, 3, 4, 12, 13, 14, 15, 16]);
  const dead = await queryRows<{ o: string; reason: string; field: string; message: string }>(store, `SELECT toString(log_offset) o, reason, field, message FROM deadletter WHERE topic = '${topic}' ORDER BY log_offset`);
  // one letter per record batch kcat wrote (librdkafka may cut the seven into more than one)
  const ranges = dead.map((d) => /offsets (\d+)-(\d+) \((\d+) records\)/.exec(d.message)!.slice(1).map(Number) as [number, number, number]);
  expect(dead.every((d) => d.reason === 'HD_BATCH_UNKNOWN_CODEC' && d.field === '(batch)' && /ZSTD compression not implemented/.test(d.message))).toBe(true);
  expect(ranges[0]![0]).toBe(5);
  expect(ranges.at(-1)![1]).toBe(11);
  expect(ranges.reduce((n, r) => n + r[2], 0)).toBe(7);
  expect(dead.map((d) => Number(d.o))).toEqual(ranges.map((r) => r[1]));
});
