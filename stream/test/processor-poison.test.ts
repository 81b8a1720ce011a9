import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Processor } from '../src/processor/processor.ts';
import { TopicNames } from '../src/processor/topic-names.ts';
import { migrate } from '../src/store/migration.ts';
import type { Store } from '../src/store/client.ts';
import type { BatchHandler, LogMessage, OutgoingMessage, Transport } from '../src/transport/transport.ts';
import { bytesOf, validEvent } from './fixtures/events.ts';
import { queryRows, tempStore } from './fixtures/temp-store.ts';

let store: Store;
beforeAll(async () => {
  store = await tempStore();
  await migrate(store.client);
});
afterAll(async () => store.close());

/** a log that hands the processor the batch the test gives it, as the Kafka transport would (a stand-in included) */
function handLog() {
  let handler!: BatchHandler;
  const published: Array<{ topic: string; messages: OutgoingMessage[] }> = [];
  const transport: Transport = {
    kind: 'kafka',
    ensureTopics: async () => {},
    publish: async (topic, messages) => void published.push({ topic, messages }),
    lag: async () => [],
    close: async () => {},
    consume: async (o) => ((handler = o.handler), { done: new Promise<void>(() => {}), stop: async () => {} }),
  };
  return { transport, published, deliver: (batch: Parameters<BatchHandler>[0]) => handler(batch, { heartbeat: async () => {}, isRunning: () => true }) };
}

it('dead-letters a batch the log could not decode as one letter with its offset range, a tombstone and non-UTF-8 bytes with their reasons, stores the rest, and goes on', async () => {
  const log = handLog();
  const topics = new TopicNames('poison.');
  const topic = topics.of('prices');
  const processor = new Processor({ transport: log.transport, store: store.client, logger: pino({ level: 'silent' }), topics, groupId: 'g' });
  await processor.start();
  const events = Array.from({ length: 4 }, (_, i) => validEvent('prices', { entity: `poison-market-${i}` }));
  const msg = (offset: number, value: Buffer | null, extra: Partial<LogMessage> = {}): LogMessage => ({ topic, partition: 2, offset: String(offset), key: `k${offset}`, value, timestamp: 0, ...extra });
  const batchBytes = Buffer.from('the record batch as Kafka holds it');
  await log.deliver({
    topic,
    partition: 2,
    messages: [
      msg(10, bytesOf(events[0]!)),
      msg(11, bytesOf(events[1]!), { key: null }), // a null key: stored like any other
      msg(61, batchBytes, { key: null, undecodable: { reason: 'HD_BATCH_CORRUPT', firstOffset: '12', lastOffset: '61', message: 'lz4: WrongMagicNumber' } }),
      msg(62, null), // a tombstone
      msg(63, Buffer.from(JSON.stringify(events[2]).replace('"source":"', '"source":"\u00e9'), 'latin1')),
      msg(64, bytesOf(events[3]!)),
    ],
  });
  const stored = await queryRows<{ id: string; o: string }>(store, "SELECT toString(id) id, toString(log_offset) o FROM prices_raw WHERE entity LIKE 'poison-%' ORDER BY log_offset");
  expect(stored.map((r) => r.o)).toEqual(['10', '11', '64']);
  const dead = await queryRows<{ o: string; reason: string; field: string; message: string; raw: string; key: string | null }>(store, "SELECT toString(log_offset) o, reason, field, message, raw, key FROM deadletter WHERE topic = 'poison.ioc.prices.v1' ORDER BY log_offset");
  expect(dead.map((d) => [d.o, d.reason, d.field])).toEqual([
    ['61', 'HD_BATCH_CORRUPT', '(batch)'],
    ['62', 'HD_EVENT_TOMBSTONE', '(event)'],
    ['63', 'HD_EVENT_NOT_UTF8', '(event)'],
  ]);
  expect(dead[0]!.message).toBe('record batch at offsets 12-61 (50 records) could not be decoded: lz4: WrongMagicNumber');
  expect(Buffer.from(dead[0]!.raw, 'base64')).toEqual(batchBytes);
  // the dead-letter topic gets the same three, keyed topic/partition/offset
  expect(log.published.flatMap((p) => p.messages.map((m) => m.key))).toEqual(['poison.ioc.prices.v1/2/61', 'poison.ioc.prices.v1/2/62', 'poison.ioc.prices.v1/2/63']);
  await processor.stop();
});
