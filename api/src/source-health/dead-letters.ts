import type { ClickHouseClient } from '@clickhouse/client';
import { storedIds, type TopicNames, type Transport } from '@haidang/stream';
import { selectRows } from '../state/store-query.ts';
import { isoFromCh } from '../state/time-range.ts';

export interface DeadLetterView {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  reason: string;
  field: string;
  message: string;
  eventId: string | null;
  source: string | null;
  deadAt: string;
  /** the original bytes as UTF-8 text (what the producer sent) */
  raw: string;
  /** false when the bytes are not valid UTF-8; `rawBase64` then is the faithful copy */
  rawIsText: boolean;
  rawBase64: string;
}

interface Row {
  dl_id: string;
  topic: string;
  log_partition: number;
  log_offset: string;
  key: string | null;
  reason: string;
  field: string;
  message: string;
  event_id: string | null;
  source: string | null;
  dead: string;
  raw: string;
}

// aliases differ from column names: ClickHouse reads an alias in WHERE otherwise (`toString(id)` of the alias found nothing)
const columns = `toString(id) AS dl_id, topic, log_partition, toString(log_offset) AS log_offset, key, reason, field, message, event_id, source, toString(dead_at) AS dead, raw`;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function view(r: Row): DeadLetterView {
  const bytes = Buffer.from(r.raw, 'base64');
  let raw: string;
  let rawIsText = true;
  try {
    raw = utf8.decode(bytes);
  } catch {
    raw = bytes.toString('utf8');
    rawIsText = false;
  }
  return {
    id: r.dl_id,
    topic: r.topic,
    partition: Number(r.log_partition),
    offset: r.log_offset,
    key: r.key,
    reason: r.reason,
    field: r.field,
    message: r.message,
    eventId: r.event_id,
    source: r.source,
    deadAt: isoFromCh(r.dead)!,
    raw,
    rawIsText,
    rawBase64: r.raw,
  };
}

/** newest first; `source` "" selects the dead letters whose bytes named no source */
export async function listDeadLetters(client: ClickHouseClient, q: { source?: string | undefined; reason?: string | undefined; limit: number }): Promise<DeadLetterView[]> {
  const where = [q.source !== undefined ? `ifNull(source, '') = {source:String}` : '', q.reason ? 'reason = {reason:String}' : ''].filter(Boolean);
  const rows = await selectRows<Row>(client, `SELECT ${columns} FROM deadletter ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY dead_at DESC, id DESC LIMIT {limit:UInt32}`, { source: q.source ?? '', reason: q.reason ?? '', limit: q.limit });
  return rows.map(view);
}

export type ReplayOutcome = 'republished' | 'already-stored' | 'not-found' | 'not-replayable';

/**
 * Puts dead letters' original bytes back on the topic they came from, once the cause was
 * fixed (a facility added to the pack, a store column widened). Idempotent by the event id
 * inside: an event whose id is already in `<stream>_raw` is not published again; one that
 * is still invalid is dead-lettered again by the processor (a new dead letter), not lost.
 * Only Hải Đăng's own data topics are written to.
 */
export async function replayDeadLetters(client: ClickHouseClient, transport: Transport, topics: TopicNames, ids: readonly string[]): Promise<Array<{ id: string; outcome: ReplayOutcome; eventId: string | null }>> {
  const rows = await selectRows<Row>(client, `SELECT ${columns} FROM deadletter WHERE toString(id) IN {ids:Array(String)}`, { ids });
  const byId = new Map(rows.map((r) => [r.dl_id, r]));
  const out: Array<{ id: string; outcome: ReplayOutcome; eventId: string | null }> = [];
  const toPublish = new Map<string, Array<{ key: string; value: Buffer }>>();
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) {
      out.push({ id, outcome: 'not-found', eventId: null });
      continue;
    }
    const stream = topics.streamOf(r.topic);
    if (!stream) {
      out.push({ id, outcome: 'not-replayable', eventId: r.event_id });
      continue;
    }
    const eventId = r.event_id ?? eventIdIn(r.raw);
    if (eventId && (await storedIds(client, stream, [{ id: eventId }])).size > 0) {
      out.push({ id, outcome: 'already-stored', eventId });
      continue;
    }
    const list = toPublish.get(r.topic) ?? [];
    // the original key keeps the entity's partition, hence its order with later reports
    list.push({ key: r.key ?? '', value: Buffer.from(r.raw, 'base64') });
    toPublish.set(r.topic, list);
    out.push({ id, outcome: 'republished', eventId });
  }
  for (const [topic, messages] of toPublish) await transport.publish(topic, messages);
  return out;
}

function eventIdIn(rawBase64: string): string | null {
  try {
    const v = JSON.parse(Buffer.from(rawBase64, 'base64').toString('utf8')) as { id?: unknown };
    return typeof v.id === 'string' ? v.id : null;
  } catch {
    return null;
  }
}

