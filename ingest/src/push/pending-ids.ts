import { createHash } from 'node:crypto';
import { reportContent, type AnyEvent, type DataStreamName } from '@haidang/stream';

/**
 * Ids this process has published whose reports the store may not hold yet, with their content.
 * Over Kafka a publish is answered once the broker has the events, before the processor stores
 * them; a second request in that moment carrying one of those ids with other content would find
 * the store without it, be answered "accepted", and then be dead-lettered as a conflicting id.
 * Claiming each id before the store is asked (synchronously, so two requests cannot both claim
 * it) lets that request be refused instead. Held for `holdMs` (the processor stores within
 * seconds; after that the store answers) and at most `max` ids, the oldest let go first.
 * Another api process has its own: two api processes taking pushes for one source keep the race.
 */
export class PendingIds {
  private readonly claims = new Map<string, { content: string; at: number }>();

  constructor(private readonly o: { holdMs: number; max: number } = { holdMs: 10 * 60_000, max: 100_000 }) {}

  /**
   * Claims the events' ids. `conflicts`: the ids (lower-case) another publish claimed with other
   * content, which must not be published. An id claimed already with the same content is a
   * resend: it goes on (the store, or the processor, counts it as a duplicate), and its claim
   * is held longer, but stays the first claimer's. `claimed`: the events whose claims this call
   * made, the only ones its `release` may let go (a refused resend must not drop the hold of
   * the request it repeats).
   */
  claim(stream: DataStreamName, events: readonly AnyEvent[], now = Date.now()): { conflicts: Set<string>; claimed: AnyEvent[] } {
    this.forgetOld(now);
    const conflicts = new Set<string>();
    const claimed: AnyEvent[] = [];
    for (const e of events) {
      const lower = e.id.toLowerCase();
      const id = `${stream}/${lower}`;
      // (the id in either case is one UUID)
      const content = createHash('sha1').update(reportContent({ ...e, id: lower })).digest('base64');
      const held = this.claims.get(id);
      if (held && held.content !== content) conflicts.add(lower);
      else {
        // claimed again: moved to the end, held for another holdMs
        this.claims.delete(id);
        this.claims.set(id, { content, at: now });
        if (!held) claimed.push(e);
      }
    }
    return { conflicts, claimed };
  }

  /** lets go of claims this caller made (`claimed`) when nothing of them will be published, so other content may come under their ids */
  release(stream: DataStreamName, events: readonly AnyEvent[]): void {
    for (const e of events) this.claims.delete(`${stream}/${e.id.toLowerCase()}`);
  }

  private forgetOld(now: number): void {
    for (const [id, c] of this.claims) {
      if (now - c.at < this.o.holdMs && this.claims.size <= this.o.max) break;
      this.claims.delete(id);
    }
  }
}
