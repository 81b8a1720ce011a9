import { Kafka, logLevel, Partitioners, type Consumer, type Producer, type Admin, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import { installBatchGuard, undecodableBatch } from './kafka-batch-guard.ts';
import { compressionType, registerKafkaCodecs } from './kafka-codecs.ts';
import type { KafkaCompression } from './kafka-compression.ts';
import type { ConsumeOptions, OutgoingMessage, PartitionLag, Subscription, Transport, UndecodableBatch } from './transport.ts';

// before any client fetches: every codec, and no batch that cannot be decoded wedges a partition
registerKafkaCodecs();
installBatchGuard();

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** a member silent this long loses its partitions, ms */
  sessionTimeoutMs?: number;
  /** broker-side batching: wait up to this long for minBytes before answering a fetch, ms */
  maxWaitMs?: number;
  minBytes?: number;
  maxBytesPerPartition?: number;
  /** most bytes one fetch brings for all partitions together (default: room for every partition consumed side by side, at least 16 MiB) */
  maxBytes?: number;
  /** partitions handled at once by one consumer (each keeps its order) */
  partitionsConcurrently?: number;
  /** codec of the batches this client produces (KAFKA_COMPRESSION); consumers read all four whatever it is */
  compression?: KafkaCompression;
}

/** kafkajs speaks through pino, at the level pino would print */
function pinoLogCreator(logger: Logger) {
  return () => ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const child = logger.child({ component: 'kafkajs' });
    if (level <= logLevel.ERROR) child.error(extra, message);
    else if (level === logLevel.WARN) child.warn(extra, message);
    else if (level === logLevel.INFO) child.debug(extra, message);
  };
}

/** one produce request stays well under the broker's 1 MiB message.max.bytes */
const maxRequestBytes = 768 * 1024;

/**
 * Kafka through kafkajs. kafkajs has had no release since 2023, so it stays behind the
 * Transport interface: nothing else in Hải Đăng imports it.
 *  - producer: idempotent, acks=-1, one request in flight (per-key order survives retries),
 *    batches compressed with `compression` (none by default)
 *  - every codec Kafka defines is read (kafka-codecs.ts); a batch that cannot be decoded
 *    reaches the handler as one message marked `undecodable` (kafka-batch-guard.ts)
 *  - consumer: batches, autoCommit off; the offset after a batch is resolved and committed
 *    only once the handler returned, so a throw never commits (kafkajs commits resolved
 *    offsets when eachBatch throws); allowAutoTopicCreation off; a crash that kafkajs
 *    will not restart rejects `done` so the process exits instead of stalling.
 */
export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private producing: Promise<Producer> | undefined;
  private admin: Admin | undefined;
  private readonly consumers = new Set<Consumer>();
  private readonly compression: number;

  constructor(private readonly options: KafkaTransportOptions) {
    this.compression = compressionType[options.compression ?? 'none'];
    this.kafka = new Kafka({
      brokers: options.brokers,
      clientId: options.clientId,
      logLevel: logLevel.WARN,
      logCreator: pinoLogCreator(options.logger),
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10_000 },
      connectionTimeout: 5_000,
    });
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  async ensureTopics(topics: string[], partitions: number): Promise<void> {
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) {
      try {
        await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });
      } catch (e) {
        // kafkajs' wait for leaders can race the metadata of a topic created a moment ago
        // (UNKNOWN_TOPIC_OR_PARTITION), and another process may create the same topic
        // (TOPIC_ALREADY_EXISTS): both end well once every partition has a leader
        const type = (e as { type?: string }).type;
        if (!['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'TOPIC_ALREADY_EXISTS'].includes(type ?? '')) throw e;
      }
      await this.waitForLeaders(admin, missing);
    }
  }

  private async waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    for (;;) {
      try {
        const { topics: meta } = await admin.fetchTopicMetadata({ topics });
        if (meta.length === topics.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (e) {
        if (Date.now() - started > timeoutMs) throw e;
      }
      if (Date.now() - started > timeoutMs) throw new Error(`topics ${topics.join(', ')} have no leader after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private getProducer(): Promise<Producer> {
    this.producing ??= (async () => {
      // the Java client's murmur2 partitioner: an entity lands on the same partition whoever produces it
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      this.producer = producer;
      return producer;
    })();
    return this.producing;
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (!messages.length) return;
    const producer = await this.getProducer();
    let chunk: OutgoingMessage[] = [];
    let bytes = 0;
    const flush = async () => {
      if (chunk.length) await producer.send({ topic, acks: -1, messages: chunk, compression: this.compression });
      chunk = [];
      bytes = 0;
    };
    for (const m of messages) {
      const size = m.key.length + (typeof m.value === 'string' ? Buffer.byteLength(m.value) : m.value.length) + 64;
      if (bytes + size > maxRequestBytes) await flush();
      chunk.push(m);
      bytes += size;
    }
    await flush();
  }

  async consume(options: ConsumeOptions): Promise<Subscription> {
    let settle!: { resolve: () => void; reject: (e: Error) => void };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    let stopped = false;
    let current: Consumer | undefined;
    const failures: number[] = [];

    const perPartition = this.options.maxBytesPerPartition ?? 4 * 1024 * 1024;
    const sideBySide = this.options.partitionsConcurrently ?? 4;
    const start = async (): Promise<void> => {
      const consumer = this.kafka.consumer({
        groupId: options.groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: Math.max(500, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 10)),
        maxWaitTimeInMs: this.options.maxWaitMs ?? 250,
        minBytes: this.options.minBytes ?? 256 * 1024,
        maxBytesPerPartition: perPartition,
        // room for every partition consumed side by side to bring a full share
        maxBytes: this.options.maxBytes ?? Math.max(16 * 1024 * 1024, sideBySide * perPartition),
        retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10_000 },
      });
      current = consumer;
      this.consumers.add(consumer);
      consumer.on(consumer.events.CRASH, (e) => {
        if (consumer !== current) return;
        // kafkajs restarts a consumer itself after retriable errors (a broker gone): unhealthy until it joins again
        if (e.payload.restart) options.onHealth?.({ ok: false, error: e.payload.error, attempt: failures.length + 1 });
        else void recover(consumer, e.payload.error);
      });
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        const assignment = e.payload.memberAssignment as Record<string, number[]>;
        options.onAssignment?.(Object.entries(assignment).map(([topic, partitions]) => ({ topic, partitions })));
        options.onHealth?.({ ok: true });
      });
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // partitions are independent: while one batch waits for ClickHouse (which inserts on its own
        // threads) another is decoded; order within a partition is kept
        partitionsConsumedConcurrently: sideBySide,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          if (batch.isEmpty() || isStale()) return;
          const messages = batch.messages.map((m) => {
            const undecodable = (m as { [undecodableBatch]?: UndecodableBatch })[undecodableBatch];
            return {
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              key: m.key ? m.key.toString() : null,
              value: m.value,
              timestamp: Number(m.timestamp),
              ...(undecodable ? { undecodable } : {}),
            };
          });
          await options.handler(
            { topic: batch.topic, partition: batch.partition, messages },
            { heartbeat, isRunning: () => isRunning() && !isStale() },
          );
          const last = batch.lastOffset();
          resolveOffset(last);
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        },
      });
    };

    // kafkajs gives up on errors a member survives: after a broker restart the group has
    // forgotten its members, and "The coordinator is not aware of this member" reaches its top
    // level as non-retriable. A new consumer joins again (nothing was committed past what was
    // handled); only repeated crashes (more than 10 in 5 minutes) reject `done`, so the process
    // exits for a supervisor to see instead of stalling.
    const recover = async (old: Consumer, error: Error): Promise<void> => {
      this.consumers.delete(old);
      // bounded: a kafkajs consumer caught in its own restart can leave disconnect() pending for
      // good, and the recovery (the live tail's, a worker's) would wait on it forever
      await Promise.race([old.disconnect().catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (stopped) return;
      const now = Date.now();
      failures.push(now);
      while (failures[0]! < now - 300_000) failures.shift();
      if (failures.length > 10) return settle.reject(error);
      this.options.logger.error({ err: error, attempt: failures.length, group: options.groupId }, 'kafka consumer crashed: starting it again');
      options.onHealth?.({ ok: false, error, attempt: failures.length });
      await new Promise((r) => setTimeout(r, 1_000 * failures.length));
      if (stopped) return;
      try {
        await start();
        options.onHealth?.({ ok: true });
      } catch (e) {
        await recover(current!, e as Error);
      }
    };

    await start();
    return {
      done,
      stop: async () => {
        stopped = true;
        if (current) {
          await current.disconnect();
          this.consumers.delete(current);
        }
        settle.resolve();
      },
    };
  }

  async lag(groupId: string, topics: string[]): Promise<PartitionLag[]> {
    const admin = await this.getAdmin();
    const out: PartitionLag[] = [];
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const e of ends) {
        const c = mine.find((p) => p.partition === e.partition)?.offset ?? '-1';
        const from = BigInt(c === '-1' ? e.low : c);
        out.push({ topic, partition: e.partition, committed: from.toString(), end: e.high, lag: Number(BigInt(e.high) - from) });
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect().catch(() => {});
    await this.admin?.disconnect().catch(() => {});
  }
}
