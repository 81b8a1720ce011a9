import type { ClickHouseClient } from '@clickhouse/client';
import { conflictingIds, storedIds, type AnyEvent, type DataStreamName, type TopicNames, type Transport } from '@haidang/stream';
import { PendingIds } from './pending-ids.ts';

export interface PublishResult {
  published: number;
  /** ids already in the store with the same content (a retry): not published again */
  duplicates: Set<string>;
  /** ids already in the store, or just published by another request, with other content, lower-case: neither published nor stored (a correction needs a new id) */
  conflicts: Set<string>;
}

/**
 * Puts validated events on their stream's topic, keyed by entity, and resolves once the
 * transport says they are durable (Kafka acks=-1; embedded: stored by the processor).
 *
 * The store's raw tables keep every report, so a retried request must not publish the same
 * ids again: ids the store already holds are skipped (`storedIds`).
 */
export class EventPublisher {
  private readonly pending = new PendingIds();

  constructor(
    private readonly store: ClickHouseClient,
    private readonly transport: Transport,
    private readonly topics: TopicNames,
  ) {}

  /** of these events, the ids the store holds (as given) and, of those, the ones it holds with other content (lower-case) */
  async held(stream: DataStreamName, events: ReadonlyArray<{ id: string; entity: string; observedAt: string }>): Promise<{ held: Set<string>; conflicts: Set<string> }> {
    const held = await storedIds(this.store, stream, events);
    const heldEvents = events.filter((e) => held.has(e.id));
    // an id the store holds with other content is no resend: answering it "accepted" would say it was stored
    const unseen = new Set<string>();
    const conflicts = heldEvents.length ? await conflictingIds(this.store, stream, heldEvents as unknown as AnyEvent[], unseen) : new Set<string>();
    // an id whose stored row could not be read back proves neither a resend nor a conflict: it
    // is published, and the processor, which stores each partition in order, decides (a
    // resend is counted, a conflict dead-lettered; with a source's own id, refused after the publish)
    if (unseen.size) for (const id of [...held]) if (unseen.has(id.toLowerCase())) held.delete(id);
    return { held, conflicts };
  }

  /**
   * Claims ids a source chose before a check that must hold until they are published (a strict
   * upload): the ones another request holds with other content come back (`conflicts`,
   * lower-case); `release` lets go of the `claimed` ones when nothing will be published after all.
   */
  claim(stream: DataStreamName, events: ReadonlyArray<{ id: string }>): { conflicts: Set<string>; claimed: ReadonlyArray<{ id: string }> } {
    return this.pending.claim(stream, events as unknown as AnyEvent[]);
  }

  release(stream: DataStreamName, claimed: ReadonlyArray<{ id: string }>): void {
    this.pending.release(stream, claimed as unknown as AnyEvent[]);
  }

  /** `chosen`: the ids (lower-case) the source chose itself; an id derived from the content or the request cannot carry other content */
  async publish(stream: DataStreamName, events: ReadonlyArray<{ id: string; entity: string; observedAt: string }>, chosen: ReadonlySet<string> = new Set()): Promise<PublishResult> {
    if (!events.length) return { published: 0, duplicates: new Set(), conflicts: new Set() };
    const own = (events as unknown as AnyEvent[]).filter((e) => chosen.has(e.id.toLowerCase()));
    const { conflicts: claimedElsewhere, claimed } = this.pending.claim(stream, own);
    const candidates = claimedElsewhere.size ? events.filter((e) => !claimedElsewhere.has(e.id.toLowerCase())) : events;
    let held: Set<string>;
    let conflicts: Set<string>;
    try {
      ({ held, conflicts } = await this.held(stream, candidates));
    } catch (err) {
      this.pending.release(stream, claimed);
      throw err;
    }
    // what the store holds answers for itself from now on
    this.pending.release(stream, claimed.filter((e) => held.has(e.id)));
    const duplicates = new Set([...held].filter((id) => !conflicts.has(id.toLowerCase())).map((id) => id.toLowerCase()));
    const fresh = candidates.filter((e) => !held.has(e.id));
    // (a failed publish keeps its claims: the broker may have some of the events, and a resend of the same content goes on)
    if (fresh.length) await this.transport.publish(this.topics.of(stream), fresh.map((e) => ({ key: e.entity, value: JSON.stringify(e) })));
    return { published: fresh.length, duplicates, conflicts: new Set([...conflicts, ...claimedElsewhere]) };
  }

  /**
   * Of published events whose ids the source chose, those the store holds with other content:
   * another request stored that id with other content in the same instant, and the processor
   * dead-lettered this one as a conflicting id. Only the embedded log can tell: its publish
   * resolves once the events are stored; a Kafka publish resolves once the broker has them.
   */
  async lostToConflicts(stream: DataStreamName, events: ReadonlyArray<{ id: string; entity: string; observedAt: string }>): Promise<Set<string>> {
    if (this.transport.kind !== 'memory' || !events.length) return new Set();
    // (only ids the store holds can be told apart: a log without a durable group has not stored them yet)
    const held = await storedIds(this.store, stream, events);
    const stored = events.filter((e) => held.has(e.id));
    return stored.length ? conflictingIds(this.store, stream, stored as unknown as AnyEvent[]) : new Set();
  }
}
