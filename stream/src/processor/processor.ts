import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { DeadLetter, DeadLetterReason } from '../contracts/dead-letter.ts';
import { decodeMessage } from '../contracts/decode.ts';
import { dataStreams, type AnyEvent, type StreamName } from '../contracts/registry.ts';
import { HaiDangError } from '../errors.ts';
import { classifyInsertFailure, describeFailure } from '../store/insert-failure.ts';
import { bulkInsertFor } from '../store/client.ts';
import type { BulkInsert } from '../store/bulk-insert.ts';
import { contentOf, deadLetterColumns, deadLetterLine, eventLine, rawColumns } from '../store/rows.ts';
import { deadLetteredOffsets, differingIds, heldIds, newestIdMillis } from '../store/stored-ids.ts';
import { TsvBody } from '../store/tsv.ts';
import { ChunkRows } from './chunk-rows.ts';
import { Gathering } from './gathering.ts';
import { RecentIds } from '../store/recent-ids.ts';
import { undoBlock } from '../store/undo-block.ts';
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
  /**
   * this processor is its store's one writer (chDB in this process): the ids it stored lately
   * are kept, and a chunk of new events skips the id lookup (recent-ids.ts)
   */
  soleWriter?: boolean;
}

/** a partition whose chunk the store keeps failing: since when, how often, the last error */
export interface StuckPartition {
  topic: string;
  partition: number;
  since: number;
  attempts: number;
  kind: 'outage' | 'fatal';
  reason: string;
}

/** thrown to leave a batch uncommitted when the partition was revoked or the consumer is stopping */
class PartitionLost extends Error {}

interface Where {
  topic: string;
  partition: number;
}

/** a chunk's ids on their way to the gathered lookup */
interface LookupCall {
  ids: readonly string[];
  lineAt: (i: number) => string;
}

/**
 * What the lookup says of one chunk: the ids the store holds, and the ids an earlier chunk of
 * the same gathering (another partition, the same fetch) also brings, with that chunk's line:
 * the earlier one stores it, this one counts it as a duplicate or dead-letters a conflict.
 */
interface LookupAnswer {
  held: ReadonlySet<string>;
  sibling: ReadonlyMap<string, string>;
}

/** a chunk's new rows on their way to the gathered insert */
interface InsertCall {
  token: string;
  body: Buffer;
  ids: readonly string[];
  ctx: ConsumeContext;
  where: Where;
}

/** stored with the others; refused with them (each chunk then goes alone to find its rows); or alone from the start */
type InsertOutcome = 'stored' | 'refused' | 'alone';

export type StoredListener = (stream: StreamName, events: AnyEvent[]) => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * consume a batch → validate (strict, no coercion) → dead-letter the invalid with reason,
 * field and original bytes → drop the events whose id the store already holds (a
 * redelivery or a resend: counted, not stored; the same id with other content is
 * dead-lettered as a conflicting id) → insert the rest in chunks with a deduplication token
 * derived from topic, partition and offsets → return, and only then does the transport commit.
 * The chunks of partitions handed over side by side share the lookup and the insert
 * (`Gathering`; the insert's token joins theirs), each still committing its own partition.
 *
 * Nothing here trusts an offset to name an event: ids do (checked against `<stream>_ids_by_time`
 * for every chunk), and dead letters are known by topic, partition and offset, which the
 * in-process log never hands out twice (its positions are kept in the store). So a
 * redelivery cut differently, a log restarted after a crash and two topic prefixes on one
 * store each end with every event stored once.
 */
export class Processor {
  readonly counters: ProcessorCounters = emptyCounters();
  private insertsUnderWay = 0;

  /** whether an insert is under way in the store (the fault hook's clean moment is when none is) */
  get inserting(): boolean {
    return this.insertsUnderWay > 0;
  }
  private readonly listeners = new Set<StoredListener>();
  private readonly stuckNow = new Map<string, StuckPartition>();
  private subscription: Subscription | undefined;
  private readonly maxBatchRows: number;
  private readonly streamNames: StreamName[];
  private readonly bulkInsert: BulkInsert;
  private readonly recent: RecentIds | undefined;
  /** the chunks of partitions handled side by side: one id lookup and one insert for all of them */
  private readonly lookups = new Gathering<LookupCall, LookupAnswer>(
    (stream, calls) => this.lookUpTogether(stream as StreamName, calls),
    (calls) => this.enough(calls),
  );
  private readonly inserts = new Gathering<InsertCall, InsertOutcome>(
    (stream, calls) => this.insertTogether(stream as StreamName, calls),
    (calls) => this.enough(calls),
  );

  constructor(private readonly options: ProcessorOptions) {
    this.maxBatchRows = options.maxBatchRows ?? 10_000;
    this.bulkInsert = bulkInsertFor(options.store);
    this.recent = options.soleWriter ? new RecentIds((s) => newestIdMillis(options.store, s)) : undefined;
    this.streamNames = options.streams ?? [...dataStreams];
  }

  /** the api's live channels and the alert evaluator hear of every stored event here */
  onStored(listener: StoredListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** chunks that hold a full insert's rows between them go to the store without waiting for more */
  private enough(calls: ReadonlyArray<{ ids: readonly string[] }>): boolean {
    let n = 0;
    for (const c of calls) n += c.ids.length;
    return n >= this.maxBatchRows;
  }

  get topicList(): string[] {
    return this.streamNames.map((s) => this.options.topics.of(s));
  }

  /** partitions whose chunk has been failing (and retried, or redelivered) for at least `forMs` */
  stuck(forMs = 0): StuckPartition[] {
    const now = Date.now();
    return [...this.stuckNow.values()].filter((s) => now - s.since >= forMs);
  }

  async start(): Promise<Subscription> {
    this.subscription = await this.options.transport.consume({
      groupId: this.options.groupId,
      topics: this.topicList,
      fromBeginning: true,
      handler: (batch, ctx) => this.handle(batch, ctx),
      onAssignment: (assigned) => {
        const mine = new Set(assigned.flatMap((a) => a.partitions.map((p) => `${a.topic}/${p}`)));
        for (const k of this.stuckNow.keys()) if (!mine.has(k)) this.stuckNow.delete(k);
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
    for (let i = 0; i < batch.messages.length; i += this.maxBatchRows) {
      if (!ctx.isRunning()) throw new PartitionLost(`${key} revoked`);
      await this.storeChunk(stream, batch.topic, batch.partition, batch.messages.slice(i, i + this.maxBatchRows), ctx);
      await ctx.heartbeat();
    }
    this.stuckNow.delete(key);
  }

  private async storeChunk(stream: StreamName, topic: string, partition: number, messages: LogMessage[], ctx: ConsumeContext): Promise<void> {
    const first = messages[0]!.offset;
    const last = messages[messages.length - 1]!.offset;
    const token = `${topic}-${partition}-${first}-${last}`;
    const where = { topic, partition };
    // the token doubles as the batch id of the logs: it names the offsets and the store's dedup block
    const log = this.options.logger.child({ batchId: token });
    const dead: DeadLetter[] = [];
    /** the message each dead letter came from (offsets for the split inserts' tokens) */
    const deadFrom: LogMessage[] = [];
    const now = new Date().toISOString();
    const deadLetter = (m: LogMessage, reason: DeadLetterReason, field: string, message: string, eventId: string | null, source: string | null) => {
      deadFrom.push(m);
      dead.push({ id: uuidv7(), topic, partition, offset: m.offset, key: m.key, reason, field, message, eventId, source, raw: m.value ? m.value.toString('base64') : '', deadAt: now });
    };
    const line = (event: AnyEvent, m: LogMessage) => eventLine(event, { partition, offset: m.offset });
    const conflict = (m: LogMessage, id: string, source: string, what: string) => deadLetter(m, 'HD_EVENT_CONFLICTING_ID', 'id', `id ${id} ${what}; a correction needs a new id`, id, source);

    // 1. decode, each valid event's line straight into the insert body; one id once per chunk
    // (a second copy is a duplicate, or a conflict when it differs)
    let estimate = 0;
    for (const m of messages) estimate += m.value?.length ?? 0;
    let rows = new ChunkRows(estimate, this.listeners.size > 0);
    const firstOf = new Map<string, number>();
    let duplicates = 0;
    let decoded = 0;
    for (const m of messages) {
      // while gathered statements are in the store, let their answers in every 1,024 events, so
      // the statement that follows (an insert after its lookup) starts while this chunk is
      // decoded instead of after every chunk of the fetch is (bench:peers ×1: 84–85 % of the
      // machine busy instead of 81–82, as the code before the gathering)
      if (++decoded % 1024 === 0 && (this.lookups.busy || this.inserts.busy)) await new Promise((r) => setImmediate(r));
      const d = decodeMessage(stream, m);
      if (!d.ok) {
        deadLetter(m, d.reason, d.field, d.message, d.eventId, d.source);
        continue;
      }
      const id = d.event.id.toLowerCase();
      const l = line(d.event, m);
      const earlier = firstOf.get(id);
      if (earlier === undefined) {
        firstOf.set(id, rows.length);
        rows.add(m, d.event.id, d.event, l);
      } else if (contentOf(rows.lineAt(earlier)) === contentOf(l)) duplicates++;
      else conflict(m, d.event.id, d.event.source, 'came twice in one batch with different content');
    }
    firstOf.clear();

    // 2. ids the store already holds, whatever entity or time they claim, or another partition
    // of the same fetch brings too (looked up together; alone again if that lookup failed)
    if (rows.length) {
      const chunkRows = rows;
      const { held, sibling } = await this.lookups
        .join(stream, { ids: chunkRows.ids, lineAt: (i) => chunkRows.lineAt(i) })
        .catch(async (): Promise<LookupAnswer> => ({ held: await this.withRetry(ctx, where, () => this.heldOf(stream, chunkRows.ids)), sibling: new Map() }));
      if (held.size || sibling.size) {
        const again: number[] = [];
        const inStore: number[] = [];
        for (let i = 0; i < rows.length; i++) {
          const id = rows.ids[i]!.toLowerCase();
          if (held.has(id)) inStore.push(i);
          if (held.has(id) || sibling.has(id)) again.push(i);
        }
        const differing = inStore.length ? await this.withRetry(ctx, where, () => differingIds(this.options.store, stream, inStore.map((i) => ({ id: chunkRows.ids[i]!, line: chunkRows.lineAt(i) })))) : new Set<string>();
        let conflicting = 0;
        for (const i of again) {
          const id = rows.ids[i]!.toLowerCase();
          const other = sibling.get(id);
          if (other === undefined ? differing.has(id) : contentOf(other) !== contentOf(rows.lineAt(i))) {
            conflicting++;
            conflict(rows.messages[i]!, rows.ids[i]!, rows.sources[i]!, other === undefined ? 'is already stored with other content (entity, time, source or numbers)' : 'came at the same time on another partition with different content');
          } else duplicates++;
        }
        rows = rows.without(new Set(again));
        log.warn({ topic, partition, duplicates, conflicting }, 'redelivered or resent events already stored: skipped');
      }
    }

    // 3. insert the new events; a refused row is found by splitting and dead-lettered alone
    const started = performance.now();
    const valid = rows;
    const undo = (from: number, to: number) => undoBlock(this.options.store, stream, valid.ids.slice(from, to));
    const together = valid.length ? await this.inserts.join(stream, { token, body: valid.bytes(), ids: valid.ids, ctx, where }) : 'alone';
    const refused = together === 'stored' ? [] : await this.insertRows(`${stream}_raw`, rawColumns(stream), valid.bytes(), valid.messages, (i) => valid.lineAt(i), token, ctx, where, log, undo);
    const refusedAt = new Set<number>();
    for (const { index, error } of refused) {
      refusedAt.add(index);
      deadLetter(valid.messages[index]!, 'HD_EVENT_REJECTED_BY_STORE', '(event)', error, valid.ids[index]!, valid.sources[index]!);
    }
    this.recent?.stored(stream, valid.ids, refusedAt);
    // 4. dead letters this range already produced (a redelivery: the same offsets) are not written twice
    if (dead.length) {
      const had = await this.withRetry(ctx, where, () => deadLetteredOffsets(this.options.store, topic, partition, dead.map((d) => d.offset)));
      if (had.size) {
        for (let i = dead.length - 1; i >= 0; i--) {
          if (had.has(dead[i]!.offset)) {
            dead.splice(i, 1);
            deadFrom.splice(i, 1);
            duplicates++;
          }
        }
      }
    }
    if (dead.length) {
      const deadLines = dead.map(deadLetterLine);
      const deadBody = new TsvBody(0);
      for (const l of deadLines) deadBody.add(l);
      const notStored = await this.insertRows('deadletter', deadLetterColumns, deadBody.bytes(), deadFrom, (i) => deadLines[i]!, `${token}-dead`, ctx, where, log);
      if (notStored.length) throw new HaiDangError('HD_STORE_FATAL', `the store refused ${notStored.length} dead letters: ${notStored[0]!.error}`);
      const dlq = this.options.topics.deadLetter;
      await this.withRetry(ctx, where, () => this.options.transport.publish(dlq, dead.map((d) => ({ key: `${d.topic}/${d.partition}/${d.offset}`, value: JSON.stringify(d) }))));
    }
    const storedCount = valid.length - refused.length;
    const c = this.counters;
    const s = (c.byStream[stream] ??= { consumed: 0, stored: 0, deadLettered: 0 });
    c.consumed += messages.length;
    c.stored += storedCount;
    c.deadLettered += dead.length;
    c.alreadyStored += duplicates;
    s.consumed += messages.length;
    s.stored += storedCount;
    s.deadLettered += dead.length;
    for (const d of dead) c.deadLetterReasons[d.reason] = (c.deadLetterReasons[d.reason] ?? 0) + 1;
    c.batches++;
    c.lastBatchAt = now;
    c.lastInsertMs = Math.round(performance.now() - started);
    if (dead.length) log.warn({ topic, partition, deadLettered: dead.length, firstReason: dead[0]!.reason, field: dead[0]!.field, message: dead[0]!.message }, 'events dead-lettered');
    log.debug({ stream, rows: messages.length, stored: storedCount, duplicates, deadLettered: dead.length, insertMs: c.lastInsertMs }, 'batch stored');
    if (this.options.onBatch) {
      const reasons: Record<string, number> = {};
      for (const d of dead) reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
      this.options.onBatch({ batchId: token, stream, topic, partition, size: messages.length, stored: storedCount, duplicates, deadLettered: dead.length, reasons, insertMs: c.lastInsertMs });
    }
    if (storedCount && this.listeners.size && valid.events) {
      const storedEvents = refusedAt.size ? valid.events.filter((_, i) => !refusedAt.has(i)) : valid.events;
      for (const l of this.listeners) {
        try {
          l(stream, storedEvents);
        } catch (e) {
          this.options.logger.error({ err: e }, 'stored-event listener failed');
        }
      }
    }
  }

  /** one insert of encoded rows; the token makes a retry of it (an answer lost) land once */
  private async insertBody(table: string, columns: readonly string[], body: Buffer, token: string): Promise<void> {
    this.insertsUnderWay++;
    try {
      await this.bulkInsert({
        table,
        columns,
        body,
        queryId: randomUUID(),
        settings: { insert_deduplicate: 1, insert_deduplication_token: token, deduplicate_blocks_in_dependent_materialized_views: 1, async_insert: 0 },
      });
    } finally {
      this.insertsUnderWay--;
    }
    if (table !== 'deadletter') this.counters.inserts++;
  }

  /** which of these ids the store holds; a sole writer asks the store only of those it cannot rule out */
  private async heldOf(stream: StreamName, ids: readonly string[]): Promise<Set<string>> {
    const recent = this.recent;
    // a prime that failed (the store down) leaves every id to the lookup, which is retried
    if (recent) await recent.prime(stream).catch(() => undefined);
    const ask = recent ? recent.toLookUp(stream, ids) : ids;
    if (!ask.length) return new Set();
    this.counters.idLookups++;
    return heldIds(this.options.store, stream, ask);
  }

  /**
   * The ids of chunks handled side by side, looked up in one statement. Of an id two chunks
   * bring (the same event sent twice, keyed differently), the first chunk keeps it and the
   * later ones are told its line. A failure reaches every caller, who then looks up alone.
   */
  private async lookUpTogether(stream: StreamName, calls: LookupCall[]): Promise<LookupAnswer[]> {
    const held = await this.heldOf(stream, calls.length === 1 ? calls[0]!.ids : calls.flatMap((c) => c.ids));
    if (calls.length === 1) return [{ held, sibling: new Map() }];
    const first = new Map<string, { call: number; row: number }>();
    return calls.map((c, n) => {
      const sibling = new Map<string, string>();
      c.ids.forEach((raw, row) => {
        const id = raw.toLowerCase();
        if (held.has(id)) return;
        const earlier = first.get(id);
        if (!earlier) first.set(id, { call: n, row });
        else if (earlier.call !== n) sibling.set(id, calls[earlier.call]!.lineAt(earlier.row));
      });
      return { held, sibling };
    });
  }

  /**
   * The new rows of chunks handled side by side, in one insert whose token names every
   * chunk's; retried like one chunk's while every partition is still ours. When the store
   * refuses rows of it, what it left behind is undone and each chunk goes alone (with its own
   * token) to find them. A chunk alone in its gathering inserts as it always did.
   */
  private async insertTogether(stream: StreamName, calls: InsertCall[]): Promise<InsertOutcome[]> {
    if (calls.length === 1) return ['alone'];
    const token = calls.map((c) => c.token).join('+');
    const body = Buffer.concat(calls.map((c) => c.body));
    const wheres = calls.map((c) => c.where);
    const ctx: ConsumeContext = {
      isRunning: () => calls.every((c) => c.ctx.isRunning()),
      heartbeat: async () => {
        await Promise.all(calls.map((c) => c.ctx.heartbeat()));
      },
    };
    try {
      await this.withRetry(ctx, wheres, () => this.insertBody(`${stream}_raw`, rawColumns(stream), body, token), true);
      this.options.logger.debug({ stream, chunks: calls.length, token }, 'chunks of partitions side by side stored in one insert');
      return calls.map(() => 'stored');
    } catch (e) {
      if (classifyInsertFailure(e) !== 'reject') throw e;
      const ids = calls.flatMap((c) => c.ids);
      await this.withRetry(ctx, wheres, () => undoBlock(this.options.store, stream, ids));
      this.options.logger.warn({ stream, chunks: calls.length, err: describeFailure(e) }, 'store refused rows of chunks inserted together: each chunk goes alone to find them');
      return calls.map(() => 'refused');
    }
  }

  /**
   * Inserts with the batch's token; retries an outage (same token, so an insert whose answer
   * was lost cannot land twice); when the store refuses the rows themselves, splits the batch
   * in halves (each with a token of its own range) until each refused row stands alone, and
   * returns those rows (by index) with the store's reason. The rest of the batch is stored.
   * `undo` removes what a refused insert left behind before its rows are tried again.
   */
  private async insertRows(table: string, columns: readonly string[], body: Buffer, messages: LogMessage[], lineAt: (i: number) => string, token: string, ctx: ConsumeContext, where: Where, log: Logger, undo?: (from: number, to: number) => Promise<void>): Promise<Array<{ index: number; error: string }>> {
    if (!messages.length) return [];
    const insert = (bytes: Buffer, tok: string) => this.insertBody(table, columns, bytes, tok);
    const refused: Array<{ index: number; error: string }> = [];
    const attempt = async (from: number, to: number, bytes: Buffer, tok: string): Promise<void> => {
      try {
        await this.withRetry(ctx, where, () => insert(bytes, tok), true);
      } catch (e) {
        if (classifyInsertFailure(e) !== 'reject') throw e;
        // what the refused insert may have left in raw and in the views that ran before the one that refused
        if (undo) await this.withRetry(ctx, where, () => undo(from, to));
        if (to - from === 1) {
          refused.push({ index: from, error: describeFailure(e).slice(0, 500) });
          return;
        }
        if (from === 0 && to === messages.length) log.warn({ table, rows: messages.length, err: describeFailure(e) }, 'store refused rows of a batch: splitting it to find them');
        const mid = (from + to) >> 1;
        for (const [a, b] of [[from, mid], [mid, to]] as const) {
          const part = new TsvBody(0);
          for (let i = a; i < b; i++) part.add(lineAt(i));
          await attempt(a, b, part.bytes(), `${token}/${messages[a]!.offset}-${messages[b - 1]!.offset}`);
        }
      }
    };
    await attempt(0, messages.length, body, token);
    return refused;
  }

  /**
   * Retry-and-pause on an outage: no commit, nothing more fetched, heartbeats sent, a log line
   * and a metric each time, and the partition reported stuck (`/readyz` names it after a
   * bound) until it works or the partition is gone. A row refusal is handed back when
   * `passRejects`; anything else stops this batch (HD_STORE_FATAL), logged, and the
   * partition stays reported stuck while the transport redelivers it.
   */
  private async withRetry<T>(ctx: ConsumeContext, place: Where | readonly Where[], fn: () => Promise<T>, passRejects = false): Promise<T> {
    let delay = this.options.retryDelayMs ?? 200;
    const places = Array.isArray(place) ? place : [place as Where];
    const where = places.length === 1 ? places[0]! : { partitions: places.map((w) => `${w.topic}/${w.partition}`) };
    for (;;) {
      try {
        return await fn();
      } catch (e) {
        const kind = classifyInsertFailure(e);
        if (kind === 'reject' && passRejects) throw e;
        const reason = describeFailure(e);
        let stuck!: StuckPartition;
        for (const w of places) {
          const key = `${w.topic}/${w.partition}`;
          stuck = this.stuckNow.get(key) ?? { topic: w.topic, partition: w.partition, since: Date.now(), attempts: 0, kind: 'outage' as const, reason };
          stuck.attempts++;
          stuck.reason = reason;
          stuck.kind = kind === 'retry' ? 'outage' : 'fatal';
          this.stuckNow.set(key, stuck);
        }
        this.counters.insertRetries++;
        if (kind !== 'retry') {
          this.options.logger.error({ ...where, err: reason, attempts: stuck.attempts }, 'store refused a statement no retry of these rows can fix: the batch stays uncommitted');
          throw new HaiDangError('HD_STORE_FATAL', reason, { ...where }, { cause: e });
        }
        this.options.logger.warn({ ...where, err: reason, retryInMs: delay, attempts: stuck.attempts, stuckForMs: Date.now() - stuck.since }, 'store unavailable: pausing, will retry the same batch');
        if (!ctx.isRunning()) throw new PartitionLost('stopped while retrying');
        await sleep(delay);
        await ctx.heartbeat();
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 5_000);
      }
    }
  }
}
