import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { DeadLetter, DeadLetterReason } from '../contracts/dead-letter.ts';
import { decodeMessage } from '../contracts/decode.ts';
import type { AnyEvent, StreamName } from '../contracts/registry.ts';
import { HaiDangError } from '../errors.ts';
import { classifyInsertFailure } from '../store/insert-failure.ts';
import { bulkInsertFor } from '../store/client.ts';
import type { BulkInsert } from '../store/bulk-insert.ts';
import { deadLetterColumns, deadLetterLine, eventLine, rawColumns } from '../store/rows.ts';
import { TsvBody } from '../store/tsv.ts';
import type { ConsumeContext, LogBatch, LogMessage, Subscription, Transport } from '../transport/transport.ts';
import { emptyCounters, type ProcessorCounters } from './counters.ts';
import type { TopicNames } from './topic-names.ts';
import type { BatchFigures } from '../observability/metrics.ts';

export interface ProcessorOptions {
  transport: Transport;
  store: ClickHouseClient;
  logger: Logger;
  topics: TopicNames;
  groupId: string;
  /** rows per insert; ClickHouse wants 10k–100k rather than many small inserts */
  maxBatchRows?: number;
  /** streams to consume (default: the four data streams and alerts) */
  streams?: StreamName[];
  /** first pause after a failed insert, doubled up to maxRetryDelayMs; retries last while the partition is ours */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** told the figures of every stored chunk (metrics); must not throw */
  onBatch?: (figures: BatchFigures) => void;
}

/** thrown to leave a batch uncommitted when the partition was revoked or the consumer is stopping */
class PartitionLost extends Error {}

export type StoredListener = (stream: StreamName, events: AnyEvent[]) => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * consume a batch → validate (strict, no coercion) → dead-letter the invalid with reason,
 * field and original bytes → insert the valid ones in chunks with a deduplication token
 * derived from topic, partition and offsets only → return, and only then does the
 * transport commit.
 *
 * A redelivered batch may be cut differently from the first delivery (kafkajs fetch sizes
 * change after a restart), so a token alone cannot catch it: the first batch of every
 * partition after an assignment asks the store which offsets it already holds and skips
 * them. Inserts are atomic per block and a partition is stored in offset order, so what
 * the store holds of an uncommitted range is always a prefix.
 */
export class Processor {
  readonly counters: ProcessorCounters = emptyCounters();
  private readonly verified = new Set<string>();
  private readonly listeners = new Set<StoredListener>();
  private subscription: Subscription | undefined;
  private readonly maxBatchRows: number;
  private readonly streamNames: StreamName[];
  private readonly bulkInsert: BulkInsert;

  constructor(private readonly options: ProcessorOptions) {
    this.maxBatchRows = options.maxBatchRows ?? 10_000;
    this.bulkInsert = bulkInsertFor(options.store);
    this.streamNames = options.streams ?? ['capacity', 'vaccination', 'prices', 'dossiers', 'alerts'];
  }

  /** the api's live channels and the alert evaluator hear of every stored event here */
  onStored(listener: StoredListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get topicList(): string[] {
    return this.streamNames.map((s) => this.options.topics.of(s));
  }

  async start(): Promise<Subscription> {
    this.subscription = await this.options.transport.consume({
      groupId: this.options.groupId,
      topics: this.topicList,
      fromBeginning: true,
      handler: (batch, ctx) => this.handle(batch, ctx),
      onAssignment: (assigned) => {
        this.verified.clear();
        this.options.logger.info({ assigned }, 'partitions assigned');
      },
    });
    return this.subscription;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  private async handle(batch: LogBatch, ctx: ConsumeContext): Promise<void> {
    const stream = this.options.topics.streamOf(batch.topic);
    if (!stream) throw new HaiDangError('HD_CONFIG_INVALID', `no stream for topic ${batch.topic}`);
    const key = `${batch.topic}/${batch.partition}`;
    let messages = batch.messages;
    if (!this.verified.has(key) && messages.length) {
      const upTo = await this.withRetry(ctx, () => this.storedUpTo(stream, batch.topic, batch.partition, messages[0]!.offset));
      if (upTo !== null) {
        const before = messages.length;
        messages = messages.filter((m) => BigInt(m.offset) > upTo);
        this.counters.alreadyStored += before - messages.length;
        if (before !== messages.length) this.options.logger.warn({ topic: batch.topic, partition: batch.partition, skipped: before - messages.length, upTo: String(upTo) }, 'redelivered events already stored: skipped');
      }
      this.verified.add(key);
    }
    for (let i = 0; i < messages.length; i += this.maxBatchRows) {
      if (!ctx.isRunning()) throw new PartitionLost(`${key} revoked`);
      await this.storeChunk(stream, batch.topic, batch.partition, messages.slice(i, i + this.maxBatchRows), ctx);
      await ctx.heartbeat();
    }
  }

  /** highest offset of this partition already in the store at or after `from`, or null */
  private async storedUpTo(stream: StreamName, topic: string, partition: number, from: string): Promise<bigint | null> {
    const rs = await this.options.store.query({
      query: `SELECT toString(max(o)) AS m, count() AS n FROM (
        SELECT log_offset AS o FROM ${stream}_raw WHERE log_partition = {p:UInt32} AND log_offset >= {from:UInt64}
        UNION ALL SELECT log_offset AS o FROM deadletter WHERE topic = {topic:String} AND log_partition = {p:UInt32} AND log_offset >= {from:UInt64})`,
      query_params: { p: partition, from, topic },
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<{ m: string; n: string | number }>();
    return row && Number(row.n) > 0 ? BigInt(row.m) : null;
  }

  private async storeChunk(stream: StreamName, topic: string, partition: number, messages: LogMessage[], ctx: ConsumeContext): Promise<void> {
    const first = messages[0]!.offset;
    const last = messages[messages.length - 1]!.offset;
    const token = `${topic}-${partition}-${first}-${last}`;
    // the token doubles as the batch id of the logs: it names the offsets and the store's dedup block
    const log = this.options.logger.child({ batchId: token });
    // what the batch keeps alive while the insert runs is kept small: the young generation's
    // collections copy every survivor (the profile showed a quarter of the thread in GC)
    const valid: AnyEvent[] | undefined = this.listeners.size ? [] : undefined;
    const accepted: LogMessage[] = [];
    let estimate = 0;
    for (const m of messages) estimate += m.value?.length ?? 0;
    const body = new TsvBody(estimate);
    const dead: DeadLetter[] = [];
    /** the message each dead letter came from (offsets for the row-by-row retry's tokens) */
    const deadFrom: LogMessage[] = [];
    const now = new Date().toISOString();
    const deadLetter = (m: LogMessage, reason: DeadLetterReason, field: string, message: string, eventId: string | null, source: string | null): DeadLetter => (deadFrom.push(m), {
      id: uuidv7(),
      topic,
      partition,
      offset: m.offset,
      key: m.key,
      reason,
      field,
      message,
      eventId,
      source,
      raw: m.value ? m.value.toString('base64') : '',
      deadAt: now,
    });
    for (const m of messages) {
      const d = decodeMessage(stream, m);
      if (d.ok) {
        valid?.push(d.event);
        accepted.push(m);
        body.add(eventLine(d.event, { partition, offset: m.offset }));
      } else dead.push(deadLetter(m, d.reason, d.field, d.message, d.eventId, d.source));
    }
    const started = performance.now();
    // one line again, for the rare row-by-row retry of a batch the store refused
    const lineOf = (m: LogMessage) => {
      const d = decodeMessage(stream, m);
      return d.ok ? eventLine(d.event, { partition, offset: m.offset }) : '';
    };
    const refused = await this.insertLines(`${stream}_raw`, rawColumns(stream), body.bytes(), accepted, lineOf, token, ctx);
    for (const { message, error } of refused) {
      dead.push(deadLetter(message, 'HD_EVENT_REJECTED_BY_STORE', '(event)', error, null, null));
    }
    if (dead.length) {
      const deadLines = dead.map(deadLetterLine);
      const deadBody = new TsvBody(0);
      for (const l of deadLines) deadBody.add(l);
      await this.insertLines('deadletter', deadLetterColumns, deadBody.bytes(), deadFrom, (_, i) => deadLines[i]!, token, ctx);
      const dlq = this.options.topics.deadLetter;
      await this.withRetry(ctx, () => this.options.transport.publish(dlq, dead.map((d) => ({ key: `${d.topic}/${d.partition}/${d.offset}`, value: JSON.stringify(d) }))));
    }
    const storedCount = accepted.length - refused.length;
    const c = this.counters;
    const s = (c.byStream[stream] ??= { consumed: 0, stored: 0, deadLettered: 0 });
    c.consumed += messages.length;
    c.stored += storedCount;
    c.deadLettered += dead.length;
    s.consumed += messages.length;
    s.stored += storedCount;
    s.deadLettered += dead.length;
    for (const d of dead) c.deadLetterReasons[d.reason] = (c.deadLetterReasons[d.reason] ?? 0) + 1;
    c.batches++;
    c.lastBatchAt = now;
    c.lastInsertMs = Math.round(performance.now() - started);
    if (dead.length) log.warn({ topic, partition, deadLettered: dead.length, firstReason: dead[0]!.reason, field: dead[0]!.field, message: dead[0]!.message }, 'events dead-lettered');
    log.debug({ stream, rows: messages.length, stored: storedCount, deadLettered: dead.length, insertMs: c.lastInsertMs }, 'batch stored');
    if (this.options.onBatch) {
      const reasons: Record<string, number> = {};
      for (const d of dead) reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
      this.options.onBatch({ batchId: token, stream, topic, partition, size: messages.length, stored: storedCount, deadLettered: dead.length, reasons, insertMs: c.lastInsertMs });
    }
    if (valid?.length && this.listeners.size) {
      const refusedIds = new Set(refused.map((r) => r.message.offset));
      const storedEvents = refusedIds.size ? valid.filter((_, i) => !refusedIds.has(accepted[i]!.offset)) : valid;
      for (const l of this.listeners) {
        try {
          l(stream, storedEvents);
        } catch (e) {
          this.options.logger.error({ err: e }, 'stored-event listener failed');
        }
      }
    }
  }

  /**
   * Inserts with the batch's token; retries what can be retried (same token, so an insert
   * whose answer was lost cannot land twice); splits a batch the store refuses and returns
   * the rows it refused one by one.
   */
  private async insertLines(table: string, columns: readonly string[], body: Buffer, messages: LogMessage[], lineOf: (m: LogMessage, i: number) => string, token: string, ctx: ConsumeContext): Promise<Array<{ message: LogMessage; error: string }>> {
    if (!messages.length) return [];
    const insert = (bytes: Buffer, tok: string) =>
      this.bulkInsert({
        table,
        columns,
        body: bytes,
        queryId: randomUUID(),
        settings: {
          insert_deduplicate: 1,
          insert_deduplication_token: tok,
          deduplicate_blocks_in_dependent_materialized_views: 1,
          async_insert: 0,
        },
      });
    try {
      await this.withRetry(ctx, () => insert(body, token), true);
      return [];
    } catch (e) {
      if (classifyInsertFailure(e) !== 'reject' || messages.length === 1) {
        if (messages.length === 1 && classifyInsertFailure(e) === 'reject') return [{ message: messages[0]!, error: (e as Error).message.slice(0, 500) }];
        throw e;
      }
      this.options.logger.warn({ table, rows: messages.length, err: (e as Error).message }, 'store refused a batch: inserting row by row');
      const refused: Array<{ message: LogMessage; error: string }> = [];
      for (const [i, m] of messages.entries()) {
        try {
          await this.withRetry(ctx, () => insert(Buffer.from(`${lineOf(m, i)}\n`), `${token}-${m.offset}`), true);
        } catch (e2) {
          if (classifyInsertFailure(e2) !== 'reject') throw e2;
          refused.push({ message: m, error: (e2 as Error).message.slice(0, 500) });
        }
      }
      return refused;
    }
  }

  /** retry-and-pause: no commit, nothing more fetched, heartbeats sent, until it works or the partition is gone */
  private async withRetry<T>(ctx: ConsumeContext, fn: () => Promise<T>, passRejects = false): Promise<T> {
    let delay = this.options.retryDelayMs ?? 200;
    for (;;) {
      try {
        return await fn();
      } catch (e) {
        const kind = classifyInsertFailure(e);
        if (kind === 'reject' && passRejects) throw e;
        if (kind !== 'retry') throw new HaiDangError('HD_STORE_FATAL', (e as Error).message, {}, { cause: e });
        this.counters.insertRetries++;
        this.options.logger.warn({ err: (e as Error).message, retryInMs: delay }, 'store unavailable: pausing, will retry the same batch');
        if (!ctx.isRunning()) throw new PartitionLost('stopped while retrying');
        await sleep(delay);
        await ctx.heartbeat();
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 5_000);
      }
    }
  }
}

