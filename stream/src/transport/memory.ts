import { EventEmitter } from 'node:events';
import { partitionFor } from './partitioner.ts';
import type { ConsumeOptions, LogMessage, OutgoingMessage, PartitionLag, Subscription, Transport } from './transport.ts';

interface Partition {
  /** offset of log[0]; entries below it were trimmed once every group had committed them */
  base: number;
  log: LogMessage[];
  /** offsets below this are reserved in `positions` (Infinity without positions) */
  reserved: number;
}

interface Group {
  committed: Map<string, number>;
  members: Set<Member>;
  topics: Set<string>;
}

interface Member {
  assigned: Array<{ topic: string; partition: number }>;
  wake(): void;
}

/**
 * Where the log keeps how far it has handed out offsets, so that they never repeat after a
 * restart: the store names events and dead letters by topic, partition and offset, and
 * tokens its inserts with them, so an offset used twice would look like a redelivery.
 */
export interface LogPositions {
  /** per topic and partition, the highest offset reserved so far (every offset below it may have been used) */
  load(topics: string[]): Promise<Array<{ topic: string; partition: number; reserved: number }>>;
  /** offsets below `upTo` may be handed out; resolves once that is durable */
  reserve(topic: string, partition: number, upTo: number): Promise<void>;
}

export interface MemoryTransportOptions {
  /** groups whose commit makes a publish durable: publish resolves once each of them subscribed to the topic has committed it */
  durableGroups?: string[];
  /** most messages handed to one handler call */
  maxBatch?: number;
  /** how long a consumer waits for a batch to fill before handing it over, ms */
  lingerMs?: number;
  /** messages kept per partition when no group reads a topic */
  maxRetained?: number;
  /** where offsets are reserved before they are handed out (the store, in `haidang start`); without it offsets restart at 0 */
  positions?: LogPositions;
  /** offsets reserved at a time */
  reserveBlock?: number;
  /** told of every failed handler call before it is retried (after 50 in a row the consumer stops and `done` rejects) */
  onHandlerError?: (e: unknown, where: { topic: string; partition: number; failures: number }) => void;
}

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * The embedded log: Kafka's contract in one process. Topics with partitions, per-key order
 * (same partitioner as Kafka), consumer groups sharing partitions, commit after the handler,
 * redelivery from the committed offset after a failed handler, and a publish that resolves
 * only once the durable group (the stream processor) has stored and committed the events.
 */
export class MemoryTransport implements Transport {
  readonly kind = 'memory' as const;
  private readonly topics = new Map<string, Partition[]>();
  private readonly groups = new Map<string, Group>();
  private readonly commits = new EventEmitter();
  private readonly options: Required<Omit<MemoryTransportOptions, 'positions' | 'onHandlerError'>> & Pick<MemoryTransportOptions, 'positions' | 'onHandlerError'>;
  private closed = false;

  constructor(options: MemoryTransportOptions = {}) {
    this.options = { durableGroups: [], maxBatch: 10_000, lingerMs: 50, maxRetained: 100_000, reserveBlock: 1_000_000, ...options };
    this.commits.setMaxListeners(0);
  }

  /** creates the topics; with `positions`, each partition starts after every offset an earlier run may have used */
  async ensureTopics(topics: string[], partitions: number): Promise<void> {
    const fresh = topics.filter((t) => !this.topics.has(t));
    if (!fresh.length) return;
    const earlier = this.options.positions ? await this.options.positions.load(fresh) : [];
    for (const t of fresh) {
      if (this.topics.has(t)) continue;
      const start = (p: number) => earlier.find((e) => e.topic === t && e.partition === p)?.reserved ?? 0;
      this.topics.set(t, Array.from({ length: partitions }, (_, p) => ({ base: start(p), log: [], reserved: this.options.positions ? start(p) : Infinity })));
    }
  }

  /** reserves offsets until every partition of `topic` can take the messages of `counts` (partition → how many) */
  private async reserveFor(topic: string, parts: Partition[], counts: Map<number, number>): Promise<void> {
    const positions = this.options.positions;
    if (!positions) return;
    for (;;) {
      const short = [...counts].filter(([p, n]) => parts[p]!.base + parts[p]!.log.length + n > parts[p]!.reserved);
      if (!short.length) return;
      await Promise.all(
        short.map(async ([p, n]) => {
          const part = parts[p]!;
          const upTo = part.base + part.log.length + n + this.options.reserveBlock;
          await positions.reserve(topic, p, upTo);
          part.reserved = Math.max(part.reserved, upTo);
        }),
      );
    }
  }

  private partitionsOf(topic: string): Partition[] {
    const p = this.topics.get(topic);
    if (!p) throw new Error(`unknown topic ${topic} (topics are created at start; auto-creation is off, as on our Kafka)`);
    return p;
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('transport closed');
    const parts = this.partitionsOf(topic);
    const last = new Map<number, number>();
    const target = messages.map((m) => partitionFor(m.key, parts.length));
    const counts = new Map<number, number>();
    for (const p of target) counts.set(p, (counts.get(p) ?? 0) + 1);
    // nothing between this check and the appends below awaits: the reservation holds for them
    await this.reserveFor(topic, parts, counts);
    if (this.closed) throw new Error('transport closed');
    const now = Date.now();
    for (const [i, m] of messages.entries()) {
      const partition = target[i]!;
      const p = parts[partition]!;
      const offset = p.base + p.log.length;
      p.log.push({ topic, partition, offset: String(offset), key: m.key, value: typeof m.value === 'string' ? Buffer.from(m.value) : m.value, timestamp: now });
      last.set(partition, offset);
      if (p.log.length > this.options.maxRetained && !this.readBy(topic)) {
        p.log.shift();
        p.base++;
      }
    }
    for (const g of this.groups.values()) if (g.topics.has(topic)) for (const member of g.members) member.wake();
    const durable = this.options.durableGroups.map((id) => this.groups.get(id)).filter((g): g is Group => !!g && g.topics.has(topic));
    await Promise.all(
      durable.flatMap((g) => [...last].map(([partition, offset]) => this.waitCommitted(g, topic, partition, offset))),
    );
  }

  private readBy(topic: string): boolean {
    for (const g of this.groups.values()) if (g.topics.has(topic)) return true;
    return false;
  }

  private waitCommitted(g: Group, topic: string, partition: number, offset: number): Promise<void> {
    const key = tp(topic, partition);
    if ((g.committed.get(key) ?? 0) > offset) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.closed) {
          this.commits.off('commit', check);
          reject(new Error('transport closed before the events were stored'));
        } else if ((g.committed.get(key) ?? 0) > offset) {
          this.commits.off('commit', check);
          resolve();
        }
      };
      this.commits.on('commit', check);
    });
  }

  private group(id: string): Group {
    let g = this.groups.get(id);
    if (!g) {
      g = { committed: new Map(), members: new Set(), topics: new Set() };
      this.groups.set(id, g);
    }
    return g;
  }

  /** round-robin the group's partitions over its members, as Kafka's range/round-robin assignors would */
  private rebalance(g: Group, onAssignments: Map<Member, ConsumeOptions['onAssignment']>): void {
    const all: Array<{ topic: string; partition: number }> = [];
    for (const t of [...g.topics].sort()) this.partitionsOf(t).forEach((_, partition) => all.push({ topic: t, partition }));
    const members = [...g.members];
    members.forEach((m) => (m.assigned = []));
    all.forEach((a, i) => members[i % members.length]!.assigned.push(a));
    for (const m of members) {
      const byTopic = new Map<string, number[]>();
      for (const a of m.assigned) byTopic.set(a.topic, [...(byTopic.get(a.topic) ?? []), a.partition]);
      onAssignments.get(m)?.([...byTopic].map(([topic, partitions]) => ({ topic, partitions })));
      m.wake();
    }
  }

  private readonly assignmentCallbacks = new Map<Group, Map<Member, ConsumeOptions['onAssignment']>>();

  async consume(options: ConsumeOptions): Promise<Subscription> {
    const g = this.group(options.groupId);
    for (const t of options.topics) {
      this.partitionsOf(t);
      g.topics.add(t);
    }
    let running = true;
    let wakeUp: () => void = () => {};
    const member: Member = { assigned: [], wake: () => wakeUp() };
    const callbacks = this.assignmentCallbacks.get(g) ?? new Map();
    this.assignmentCallbacks.set(g, callbacks);
    callbacks.set(member, options.onAssignment);
    g.members.add(member);
    this.rebalance(g, callbacks);
    const { maxBatch, lingerMs } = this.options;
    const position = new Map<string, number>();
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });

    /** one partition's next batch: handled, then committed; 'failed' leaves it to be redelivered */
    let failures = 0;
    const handleNext = async ({ topic, partition }: { topic: string; partition: number }): Promise<'idle' | 'handled' | 'failed'> => {
      if (!running) return 'idle';
      const p = this.partitionsOf(topic)[partition]!;
      const key = tp(topic, partition);
      const committed = g.committed.get(key) ?? (options.fromBeginning === false ? p.base + p.log.length : 0);
      const from = Math.max(position.get(key) ?? committed, p.base);
      const available = p.base + p.log.length - from;
      if (available <= 0) return 'idle';
      const messages = p.log.slice(from - p.base, from - p.base + maxBatch);
      const isRunning = () => running && !this.closed && member.assigned.some((a) => a.topic === topic && a.partition === partition);
      try {
        await options.handler({ topic, partition, messages }, { heartbeat: async () => {}, isRunning });
        const next = from + messages.length;
        position.set(key, next);
        if (isRunning() || running) {
          g.committed.set(key, Math.max(g.committed.get(key) ?? 0, next));
          this.commits.emit('commit');
          this.trim(topic, partition);
        }
        failures = 0;
        return 'handled';
      } catch (e) {
        // no commit: redeliver from the committed offset after a pause, as Kafka would
        position.delete(key);
        failures++;
        this.options.onHandlerError?.(e, { topic, partition, failures });
        if (failures >= 50) throw e;
        return 'failed';
      }
    };

    // every assigned partition's next batch is handed over side by side, as a Kafka consumer
    // does with the batches of one fetch: the processor then stores a stream's chunks with one
    // insert instead of one per partition (fewer parts for the store to write and merge)
    const loop = async () => {
      while (running && !this.closed) {
        const outcomes = await Promise.allSettled(member.assigned.map(handleNext));
        const stopped = outcomes.find((o) => o.status === 'rejected');
        if (stopped) throw stopped.reason;
        const round = outcomes.map((o) => (o as PromiseFulfilledResult<'idle' | 'handled' | 'failed'>).value);
        if (round.includes('failed')) await sleep(Math.min(100 * 2 ** Math.min(failures, 6), 5_000));
        else if (!round.includes('handled')) await sleep(1_000);
        else if (lingerMs > 0 && this.pendingFor(member, g) < maxBatch) await sleep(lingerMs);
      }
    };
    const done = loop().finally(() => {
      g.members.delete(member);
      callbacks.delete(member);
      if (!this.closed && g.members.size) this.rebalance(g, callbacks);
    });
    return {
      done,
      stop: async () => {
        running = false;
        wakeUp();
        await done.catch(() => {});
      },
    };
  }

  private pendingFor(member: Member, g: Group): number {
    let n = 0;
    for (const { topic, partition } of member.assigned) {
      const p = this.partitionsOf(topic)[partition]!;
      n += p.base + p.log.length - (g.committed.get(tp(topic, partition)) ?? p.base);
    }
    return n;
  }

  /** drop what every group reading this topic has committed: memory stays bounded by lag */
  private trim(topic: string, partition: number): void {
    let min = Infinity;
    for (const g of this.groups.values()) if (g.topics.has(topic)) min = Math.min(min, g.committed.get(tp(topic, partition)) ?? 0);
    const p = this.partitionsOf(topic)[partition]!;
    if (Number.isFinite(min) && min > p.base) {
      p.log.splice(0, min - p.base);
      p.base = min;
    }
  }

  async lag(groupId: string, topics: string[]): Promise<PartitionLag[]> {
    const g = this.groups.get(groupId);
    const out: PartitionLag[] = [];
    for (const topic of topics) {
      this.partitionsOf(topic).forEach((p, partition) => {
        const end = p.base + p.log.length;
        const committed = g?.committed.get(tp(topic, partition)) ?? p.base;
        out.push({ topic, partition, committed: String(committed), end: String(end), lag: end - committed });
      });
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.commits.emit('commit');
    for (const g of this.groups.values()) for (const m of g.members) m.wake();
  }
}
