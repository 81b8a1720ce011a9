import type { ClickHouseClient } from '@clickhouse/client';
import { conflictingIds, storedIds, type AnyEvent, type DataStreamName } from '@haidang/stream';

/**
 * Of a file's events, those whose id the store already holds with other content (lower-case
 * ids), asked before anything is published: a strict upload stores nothing when one row
 * would be refused, so it must know of such a row before it stores the others. Asked in
 * chunks of `chunk` ids.
 */
export async function storedConflicts(store: ClickHouseClient, stream: DataStreamName, events: ReadonlyArray<{ id: string; entity: string; observedAt: string }>, chunk: number): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < events.length; i += chunk) {
    const part = events.slice(i, i + chunk);
    const held = await storedIds(store, stream, part);
    const heldEvents = part.filter((e) => held.has(e.id));
    if (heldEvents.length) for (const id of await conflictingIds(store, stream, heldEvents as unknown as AnyEvent[])) out.add(id);
  }
  return out;
}
