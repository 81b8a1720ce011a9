import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { decodeMessage } from '../contracts/decode.ts';
import { dataStreams, type AnyEvent, type StreamName } from '../contracts/registry.ts';
import type { ReadinessCheck } from '../observability/readiness.ts';
import type { ConsumerHealth, Subscription, Transport } from '../transport/transport.ts';
import type { StoredListener } from './processor.ts';
import type { TopicNames } from './topic-names.ts';

/** whether live channels are up to date; when not, since when and why (told to live clients as `live-status`) */
export type LiveStatus = { live: true; since: string } | { live: false; since: string; reason: string };
export type LiveStatusListener = (status: LiveStatus) => void;

/**
 * How an api instance that runs no processor (distributed mode: `haidang api`) hears of new
 * events for its live channels: it reads the data topics from their end with a consumer group
 * of its own — one per instance, so every instance sees every event — and hands the valid
 * events to its listeners. It only reads: the stream workers' group, offsets and store are
 * untouched, and an invalid event is simply not shown (the workers dead-letter it).
 *
 * It degrades instead of taking the api down: when its consumer crashes (the broker gone, a
 * fetch that fails again and again) the status turns to delayed — /readyz reports it, live
 * clients get a `live-status` event — and the tail starts itself again, with a growing pause
 * (up to a minute), until it follows the topics again; then the status is live once more.
 */
export class LiveTail {
  private readonly listeners = new Set<StoredListener>();
  private readonly statusListeners = new Set<LiveStatusListener>();
  private subscription: Subscription | undefined;
  private current: LiveStatus = { live: true, since: new Date().toISOString() };
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  readonly groupId: string;
  /** first pause before starting a crashed tail again, doubled up to a minute */
  private readonly restartDelayMs: number;

  constructor(private readonly o: { transport: Transport; topics: TopicNames; logger: Logger; streams?: StreamName[]; groupId?: string; restartDelayMs?: number }) {
    this.groupId = o.groupId ?? `haidang-live-${hostname()}-${process.pid}`;
    this.restartDelayMs = o.restartDelayMs ?? 2_000;
  }

  get status(): LiveStatus {
    return this.current;
  }

  onStatus(listener: LiveStatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** for /readyz: never fails (the api still answers from the store) but says when live updates are delayed */
  readiness(): ReadinessCheck {
    return async () => (this.current.live ? undefined : { degraded: `live updates delayed since ${this.current.since}: ${this.current.reason}` });
  }

  private setStatus(status: { live: true } | { live: false; reason: string }): void {
    if (status.live === this.current.live && (status.live || (this.current.live === false && this.current.reason === status.reason))) return;
    this.current = { ...status, since: new Date().toISOString() };
    if (status.live) this.o.logger.info({ group: this.groupId }, 'live tail: following the topics again, live updates are current');
    for (const l of this.statusListeners) {
      try {
        l(this.current);
      } catch (e) {
        this.o.logger.error({ err: e }, 'live status listener failed');
      }
    }
  }

  private onHealth = (h: ConsumerHealth): void => {
    if (h.ok) this.setStatus({ live: true });
    else this.setStatus({ live: false, reason: `consumer crashed (${h.error.message.slice(0, 200)}), starting it again` });
  };

  /** a tail that will not restart by itself (its subscription rejected) is started again after a pause */
  private degrade(error: Error): void {
    if (this.stopped) return;
    this.failures++;
    const delay = Math.min(this.restartDelayMs * 2 ** (this.failures - 1), 60_000);
    this.o.logger.error({ err: error, group: this.groupId, retryInMs: delay }, 'live tail stopped: live updates delayed, starting it again');
    this.setStatus({ live: false, reason: error.message.slice(0, 200) });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.follow().then(
        () => (this.failures = 0),
        (e: unknown) => this.degrade(e as Error),
      );
    }, delay);
    this.restartTimer.unref();
  }

  onStored(listener: StoredListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** follows the topics; rejects only if the first start fails (then the api does not start either) */
  async start(): Promise<void> {
    this.stopped = false;
    await this.follow();
    this.o.logger.info({ group: this.groupId }, 'live tail: following the data topics for live channels');
  }

  private async follow(): Promise<void> {
    if (this.stopped) return;
    const streams = this.o.streams ?? [...dataStreams];
    const subscription = await this.o.transport.consume({
      groupId: this.groupId,
      topics: streams.map((s) => this.o.topics.of(s)),
      fromBeginning: false,
      onHealth: this.onHealth,
      handler: async (batch) => {
        const stream = this.o.topics.streamOf(batch.topic);
        if (!stream) return;
        const events: AnyEvent[] = [];
        for (const m of batch.messages) {
          const d = decodeMessage(stream, m);
          if (d.ok) events.push(d.event);
        }
        if (!events.length) return;
        for (const l of this.listeners) {
          try {
            l(stream, events);
          } catch (e) {
            this.o.logger.error({ err: e }, 'live listener failed');
          }
        }
      },
    });
    this.subscription = subscription;
    subscription.done.catch((e: unknown) => {
      if (this.subscription === subscription) this.degrade(e as Error);
    });
    this.setStatus({ live: true });
    if (this.stopped) await subscription.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.subscription?.stop();
  }
}
