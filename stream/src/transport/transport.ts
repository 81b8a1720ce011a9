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
}

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
