import type { ClickHouseClient } from '@clickhouse/client';
import pRetry, { AbortError } from 'p-retry';
import { v5 as uuidv5 } from 'uuid';
import type { Logger, TopicNames, Transport } from '@haidang/stream';
import type { CursorStore } from './cursor-store.ts';
import type { PollerSpec } from './poller-config.ts';
import { PollerError } from './poller-error.ts';
import type { PollerHealth } from './poller-health.ts';
import type { PollerAdapter, PolledRecord } from './polled-page.ts';
import { storedIds } from '@haidang/stream';

export interface PollerDeps {
  transport: Transport;
  topics: TopicNames;
  store: ClickHouseClient;
  cursors: CursorStore;
  logger: Logger;
  now?: () => Date;
}

/** UUIDv5 namespace of poller event ids (distinct from push's) */
const pollerNamespace = '4d6f1c2e-8a3b-5c7d-9e1f-2a4b6c8d0e13';

/** the same upstream record at the same version is always the same event: a re-poll is a no-op */
const pollerEventId = (poller: string, upstreamId: string, version: string): string => uuidv5(`${poller}\n${upstreamId}\n${version}`, pollerNamespace);

const keptRejects = 20;

/**
 * One external system on a schedule. A run reads pages from the stored cursor, publishes
 * each page's events (skipping ids the store already has), waits until the transport says
 * they are durable, and only then moves the cursor: a crash in between re-reads the page
 * and the ids make the second publish a no-op, so there is neither a gap nor a duplicate.
 *
 * A failed attempt is retried with exponential backoff by p-retry (a well-kept, small
 * library: backoff factor, caps, abort signal, and a `shouldRetry` that reads the error's
 * own `retryable`); once the retries are spent the run fails and the next one comes at the
 * regular interval. Every attempt is visible in `health()`.
 */
export class Poller {
  private readonly state: PollerHealth;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<boolean> | undefined;
  private readonly abort = new AbortController();
  private readonly log: Logger;

  constructor(
    readonly spec: PollerSpec,
    private readonly adapter: PollerAdapter,
    private readonly deps: PollerDeps,
  ) {
    this.now = deps.now ?? (() => new Date());
    this.log = deps.logger.child({ poller: spec.name });
    this.state = {
      name: spec.name,
      kind: spec.kind,
      stream: adapter.stream,
      source: `poller:${spec.name}`,
      status: 'idle',
      running: false,
      lastSuccessAt: null,
      lastErrorAt: null,
      lastError: null,
      consecutiveFailures: 0,
      nextRunAt: null,
      cursor: null,
      totals: { published: 0, alreadyStored: 0, rejected: 0 },
      recentRejects: [],
    };
  }

  health(): PollerHealth {
    return structuredClone(this.state);
  }

  /** one run with its retries; resolves true when it succeeded (never rejects) */
  runOnce(): Promise<boolean> {
    this.current ??= this.run().finally(() => (this.current = undefined));
    return this.current;
  }

  /** runs now, then every `intervalSeconds` after the previous run ended */
  start(): void {
    const loop = async () => {
      await this.runOnce();
      if (this.abort.signal.aborted) return;
      const ms = this.spec.intervalSeconds * 1000;
      this.state.nextRunAt = new Date(this.now().getTime() + ms).toISOString();
      this.timer = setTimeout(() => void loop(), ms);
    };
    void loop();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.abort.abort();
    await this.current;
  }

  private async run(): Promise<boolean> {
    const { spec } = this;
    this.state.running = true;
    try {
      await pRetry(() => this.pass(), {
        retries: spec.retries,
        factor: 2,
        minTimeout: spec.minBackoffMs,
        maxTimeout: spec.maxBackoffMs,
        randomize: false,
        signal: this.abort.signal,
        shouldRetry: ({ error }) => !(error instanceof PollerError) || error.retryable,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          this.failed(error);
          // p-retry's own delay with randomize off: min × factor^(attempt−1), capped
          const delay = Math.min(spec.minBackoffMs * 2 ** (attemptNumber - 1), spec.maxBackoffMs);
          const retrying = retriesLeft > 0 && (!(error instanceof PollerError) || error.retryable);
          this.state.nextRunAt = retrying ? new Date(this.now().getTime() + delay).toISOString() : null;
          this.log.warn({ code: error instanceof PollerError ? error.code : error.name, attempt: attemptNumber, retriesLeft, retryInMs: retrying ? delay : null }, `poll failed: ${error.message}`);
        },
      });
      this.state.status = 'ok';
      this.state.consecutiveFailures = 0;
      this.state.lastSuccessAt = this.now().toISOString();
      return true;
    } catch (e) {
      if (!(e instanceof AbortError) && !this.abort.signal.aborted) this.log.error({ err: e }, 'poll run failed after its retries');
      return false;
    } finally {
      this.state.running = false;
    }
  }

  private failed(error: Error): void {
    this.state.status = 'failing';
    this.state.consecutiveFailures++;
    this.state.lastErrorAt = this.now().toISOString();
    this.state.lastError = { code: error instanceof PollerError ? error.code : error.name, message: error.message };
  }

  /** one attempt: every page from the stored cursor to the end */
  private async pass(): Promise<void> {
    const { cursors, transport, topics, store } = this.deps;
    const stream = this.adapter.stream;
    let cursor = await cursors.get(this.spec.name);
    this.state.cursor = cursor;
    for await (const page of this.adapter.pages(cursor)) {
      if (this.abort.signal.aborted) throw new AbortError('poller stopped');
      const at = this.now().toISOString();
      for (const r of page.rejected) {
        this.state.recentRejects.unshift({ ...r, at });
        this.log.warn({ ref: r.ref, reason: r.reason }, 'upstream record not usable');
      }
      this.state.recentRejects.length = Math.min(this.state.recentRejects.length, keptRejects);
      this.state.totals.rejected += page.rejected.length;
      const events = this.eventsOf(page.records, at);
      const already = await storedIds(store, stream, events, { deadLetterTopic: topics.of(stream) });
      const fresh = events.filter((e) => !already.has(e.id));
      // resolves once durable (Kafka acks=-1; embedded: stored by the processor)
      if (fresh.length) await transport.publish(topics.of(stream), fresh.map((e) => ({ key: e.entity, value: JSON.stringify(e) })));
      this.state.totals.published += fresh.length;
      this.state.totals.alreadyStored += already.size;
      if (page.cursor !== null && page.cursor !== cursor) {
        await cursors.set(this.spec.name, page.cursor);
        cursor = page.cursor;
        this.state.cursor = cursor;
      }
      this.log.debug({ published: fresh.length, alreadyStored: already.size, rejected: page.rejected.length, cursor }, 'page polled');
    }
  }

  private eventsOf(records: PolledRecord[], receivedAt: string) {
    const byId = new Map<string, { id: string; version: 1; stream: string; source: string; entity: string; observedAt: string; receivedAt: string; payload: Record<string, unknown> }>();
    for (const r of records) {
      const id = pollerEventId(this.spec.name, r.upstreamId, r.version);
      byId.set(id, { id, version: 1, stream: this.adapter.stream, source: this.state.source, entity: r.entity, observedAt: r.observedAt, receivedAt, payload: r.payload });
    }
    return [...byId.values()];
  }
}
