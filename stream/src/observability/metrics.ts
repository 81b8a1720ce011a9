import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProcessorCounters } from '../processor/counters.ts';
import type { StuckPartition } from '../processor/processor.ts';
import type { PartitionLag } from '../transport/transport.ts';

/** What the processor reports after each stored chunk (see Processor's `onBatch`). */
export interface BatchFigures {
  batchId: string;
  stream: string;
  topic: string;
  partition: number;
  /** messages in the chunk, valid or not */
  size: number;
  stored: number;
  /** events whose id the store already held (a redelivery or a resend): counted, not stored */
  duplicates: number;
  deadLettered: number;
  /** dead letters of this chunk by reason */
  reasons: Record<string, number>;
  /** time from the first insert attempt to the store's confirmation, retries included, ms */
  insertMs: number;
}

/**
 * The Prometheus metrics of one Hải Đăng process (prom-client). One registry per process
 * and service, not prom-client's global one: tests build several servers in one process,
 * and a global registry would refuse the second registration of a name.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly eventsIn: Counter<'stream'>;
  readonly eventsOut: Counter<'stream' | 'outcome'>;
  readonly batchRows: Histogram<'stream'>;
  readonly insertSeconds: Histogram<'stream'>;
  readonly deadLetters: Counter<'reason'>;
  readonly alreadyStored: Counter;
  readonly insertRetries: Counter;
  readonly idLookups: Counter;
  readonly inserts: Counter;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly stuckSeconds: Gauge<'topic' | 'partition' | 'kind'>;
  readonly socketClients: Gauge;
  readonly httpSeconds: Histogram<'method' | 'route' | 'status_code'>;
  readonly eventsPublished: Counter<'stream'>;
  private lagSource: (() => Promise<PartitionLag[]>) | undefined;
  private socketCount: (() => number) | undefined;
  private counters: (() => ProcessorCounters) | undefined;
  private stuckSource: (() => StuckPartition[]) | undefined;

  constructor(service: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service });
    // RSS, heap, event-loop lag, GC: the figures the slow-consumer fault test watches
    collectDefaultMetrics({ register: this.registry, prefix: 'haidang_' });
    this.eventsIn = new Counter({ name: 'haidang_events_in_total', help: 'events consumed from the log, per stream', labelNames: ['stream'], registers });
    this.eventsOut = new Counter({ name: 'haidang_events_out_total', help: 'events leaving the processor, per stream and outcome (stored | dead_lettered | duplicate)', labelNames: ['stream', 'outcome'], registers });
    this.batchRows = new Histogram({ name: 'haidang_batch_rows', help: 'messages per processed chunk', labelNames: ['stream'], buckets: [1, 10, 50, 100, 500, 1_000, 5_000, 10_000, 50_000], registers });
    this.insertSeconds = new Histogram({ name: 'haidang_insert_seconds', help: 'store insert latency per chunk, retries included', labelNames: ['stream'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers });
    this.deadLetters = new Counter({ name: 'haidang_dead_letters_total', help: 'events dead-lettered, per reason', labelNames: ['reason'], registers });
    const self = this;
    // these live in the processor's counters; read at scrape time
    const fromProcessor = (name: string, help: string, read: (c: ProcessorCounters) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          const c = self.counters?.();
          if (c) this.reset(), this.inc(read(c));
        },
      });
    this.alreadyStored = fromProcessor('haidang_already_stored_total', 'events skipped because the store already held their id (a redelivery or a resend)', (c) => c.alreadyStored);
    this.insertRetries = fromProcessor('haidang_insert_retries_total', 'store calls retried after a retryable failure (same deduplication token)', (c) => c.insertRetries);
    this.inserts = fromProcessor('haidang_inserts_total', 'statements that stored events (chunks of partitions handled side by side share one); haidang_events_out_total{outcome="stored"} over this is the rows an insert', (c) => c.inserts);
    this.idLookups = fromProcessor('haidang_id_lookups_total', 'lookups of event ids in the store (chunks side by side share one; a processor that is its store\'s one writer skips them for chunks of new events)', (c) => c.idLookups);
    this.consumerLag = new Gauge({
      name: 'haidang_consumer_lag',
      help: 'messages not yet committed by the consumer group, per partition (read from the broker at scrape time)',
      labelNames: ['topic', 'partition'],
      registers,
      async collect() {
        if (!self.lagSource) return;
        const lag = await self.lagSource().catch(() => undefined);
        if (!lag) return; // broker unreachable: keep the last figures rather than fail the scrape
        this.reset();
        for (const l of lag) this.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
      },
    });
    this.stuckSeconds = new Gauge({
      name: 'haidang_partition_stuck_seconds',
      help: 'how long a partition has not moved because the store keeps failing (kind: outage = retried, fatal = redelivered); absent when every partition moves',
      labelNames: ['topic', 'partition', 'kind'],
      registers,
      collect() {
        if (!self.stuckSource) return;
        this.reset();
        const now = Date.now();
        for (const s of self.stuckSource()) this.set({ topic: s.topic, partition: String(s.partition), kind: s.kind }, (now - s.since) / 1000);
      },
    });
    this.socketClients = new Gauge({
      name: 'haidang_socket_clients',
      help: 'live-channel (socket.io) clients connected',
      registers,
      collect() {
        if (self.socketCount) this.set(self.socketCount());
      },
    });
    this.httpSeconds = new Histogram({ name: 'haidang_http_request_seconds', help: 'api request latency, per route pattern', labelNames: ['method', 'route', 'status_code'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers });
    this.eventsPublished = new Counter({ name: 'haidang_events_published_total', help: 'events this process published to the log (durably: acks=-1), per stream', labelNames: ['stream'], registers });
  }

  /** where consumer lag is read at scrape time (the transport's `lag`, bound to the group) */
  readLagFrom(source: () => Promise<PartitionLag[]>): void {
    this.lagSource = source;
  }

  /** the processor whose retries and skipped redeliveries are reported */
  followProcessor(counters: () => ProcessorCounters): void {
    this.counters = counters;
  }

  /** where stuck partitions are read at scrape time (the processor's `stuck()`) */
  followStuck(source: () => StuckPartition[]): void {
    this.stuckSource = source;
  }

  /** where the live-channel client count is read at scrape time */
  countSocketsWith(count: () => number): void {
    this.socketCount = count;
  }

  /** the processor's per-chunk hook */
  recordBatch(b: BatchFigures): void {
    this.eventsIn.inc({ stream: b.stream }, b.size);
    if (b.stored) this.eventsOut.inc({ stream: b.stream, outcome: 'stored' }, b.stored);
    if (b.deadLettered) this.eventsOut.inc({ stream: b.stream, outcome: 'dead_lettered' }, b.deadLettered);
    if (b.duplicates) this.eventsOut.inc({ stream: b.stream, outcome: 'duplicate' }, b.duplicates);
    for (const [reason, n] of Object.entries(b.reasons)) this.deadLetters.inc({ reason }, n);
    this.batchRows.observe({ stream: b.stream }, b.size);
    this.insertSeconds.observe({ stream: b.stream }, b.insertMs / 1000);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
