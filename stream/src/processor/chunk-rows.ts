import type { AnyEvent } from '../contracts/registry.ts';
import { TsvBody } from '../store/tsv.ts';
import type { LogMessage } from '../transport/transport.ts';

/**
 * The valid events of one chunk on their way to the raw table: each event's line is written
 * into the insert body as soon as it is decoded, and only what the later steps need is kept
 * beside it — the message (offsets, dead letters), the id (the uniqueness check, the undo of a
 * refused block) and the source (dead letters). The decoded events themselves are kept only
 * for stored-event listeners. What a chunk keeps alive while its lookup and insert run is what
 * the young generation's collections copy (bench/profile.ts: GC was a quarter of the thread
 * when whole events were kept), so it is kept to this.
 */
export class ChunkRows {
  readonly messages: LogMessage[] = [];
  /** the ids as sent (the checks compare them lower-cased) */
  readonly ids: string[] = [];
  readonly sources: string[] = [];
  /** the decoded events, when someone listens for them */
  readonly events: AnyEvent[] | undefined;
  private readonly body: TsvBody;
  /** where each row's line ends in the body (after its newline) */
  private ends: number[] = [];

  constructor(estimateBytes: number, keepEvents: boolean) {
    this.body = new TsvBody(estimateBytes);
    this.events = keepEvents ? [] : undefined;
  }

  get length(): number {
    return this.ids.length;
  }

  add(m: LogMessage, id: string, event: AnyEvent, line: string): void {
    this.body.add(line);
    this.ends.push(this.body.length);
    this.messages.push(m);
    this.ids.push(id);
    this.sources.push(event.source);
    this.events?.push(event);
  }

  /** row i's line, read back from the body (for comparisons and the rare split insert) */
  lineAt(i: number): string {
    const start = i === 0 ? 0 : this.ends[i - 1]!;
    return this.body.bytes().toString('utf8', start, this.ends[i]! - 1);
  }

  /** the insert body: every row's line, newline-terminated */
  bytes(): Buffer {
    return this.body.bytes();
  }

  /** these rows without the ones at `drop` (a copy of the kept lines' bytes, in order) */
  without(drop: ReadonlySet<number>): ChunkRows {
    const kept = new ChunkRows(this.body.length, this.events !== undefined);
    const bytes = this.body.bytes();
    for (let i = 0; i < this.length; i++) {
      if (drop.has(i)) continue;
      const start = i === 0 ? 0 : this.ends[i - 1]!;
      kept.body.addBytes(bytes.subarray(start, this.ends[i]!));
      kept.ends.push(kept.body.length);
      kept.messages.push(this.messages[i]!);
      kept.ids.push(this.ids[i]!);
      kept.sources.push(this.sources[i]!);
      kept.events?.push(this.events![i]!);
    }
    return kept;
  }
}
