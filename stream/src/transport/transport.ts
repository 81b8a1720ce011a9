/**
 * The one small interface between Hải Đăng and a log: publish a batch; consume batches as a
 * member of a group; the offset is committed only after the handler succeeded. Kafka
 * (through kafkajs) and the in-process memory log both implement it, so the processor,
 * the api and the tests run the same code in both modes.
 */
export interface LogMessage {
  topic: string;
  partition: number;
  /** decimal string: Kafka offsets are 64-bit */
  offset: string;
  key: string | null;
  value: Buffer | null;
  /** append time, epoch milliseconds */
  timestamp: number;
  /**
   * Set when the log could not decode the record batch this message stands for (Kafka only:
   * an unknown codec, a payload that does not decompress, records that do not parse). The
   * message then sits at the batch's last offset, `value` holds the batch's bytes (null when
   * too large to keep) and the whole range is dead-lettered as one.
   */
  undecodable?: UndecodableBatch;
}

export interface UndecodableBatch {
  reason: 'HD_BATCH_UNKNOWN_CODEC' | 'HD_BATCH_CORRUPT';
  firstOffset: string;
  lastOffset: string;
  /** why, in the client's or the codec's words */
  message: string;
}

export interface LogBatch {
  topic: string;
  partition: number;
  messages: LogMessage[];
}

export interface OutgoingMessage {
  key: string;
  value: Buffer | string;
}

export interface ConsumeContext {
  /** keep group membership alive between chunks of a long batch */
  heartbeat(): Promise<void>;
  /** false once stop() was called or the partition was revoked */
  isRunning(): boolean;
}

export type BatchHandler = (batch: LogBatch, ctx: ConsumeContext) => Promise<void>;

export interface ConsumeOptions {
  groupId: string;
  topics: string[];
  /** where a group with no committed offset starts; default earliest */
  fromBeginning?: boolean;
  handler: BatchHandler;
  /** called whenever this member's partitions change (after a join or rebalance) */
  onAssignment?: (assigned: Array<{ topic: string; partitions: number[] }>) => void;
  /** told when the consumer crashed (and is being started again) and when it consumes again */
  onHealth?: (health: ConsumerHealth) => void;
}

export type ConsumerHealth = { ok: true } | { ok: false; error: Error; attempt: number };

export interface Subscription {
  /** settles when the consumer stops; rejects if it crashed and will not restart */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  committed: string;
  end: string;
  lag: number;
}

export interface Transport {
  readonly kind: 'kafka' | 'memory';
  ensureTopics(topics: string[], partitions: number): Promise<void>;
  /** resolves only once the messages are durable (Kafka: acks=-1; memory: stored by the durable group) */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<Subscription>;
  lag(groupId: string, topics: string[]): Promise<PartitionLag[]>;
  close(): Promise<void>;
}
