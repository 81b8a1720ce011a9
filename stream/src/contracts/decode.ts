import { isUtf8 } from 'node:buffer';
import type { z } from 'zod';
import type { LogMessage } from '../transport/transport.ts';
import { compileAcceptor, type Acceptor } from './acceptor.ts';
import type { DeadLetterReason } from './dead-letter.ts';
import { streams, type AnyEvent, type StreamName } from './registry.ts';

export type Decoded =
  | { ok: true; event: AnyEvent }
  | { ok: false; reason: DeadLetterReason; field: string; message: string; eventId: string | null; source: string | null };

/** Upper bound on one event's bytes; anything larger is dead-lettered unread. */
export const maxEventBytes = 64 * 1024;

/** Dotted path of the first issue, e.g. `payload.oxygenBedsOccupied`; `(event)` for the whole. */
function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.length ? issue.path.map(String).join('.') : '(event)';
}

export function describeIssues(error: z.ZodError): { field: string; message: string } {
  const first = error.issues[0];
  if (!first) return { field: '(event)', message: 'invalid' };
  const all = error.issues.slice(0, 5).map((i) => `${issuePath(i)}: ${i.message}`).join('; ');
  return { field: issuePath(first), message: all };
}

const acceptors = new Map<StreamName, Acceptor>();
function acceptorOf(stream: StreamName): Acceptor {
  let a = acceptors.get(stream);
  if (!a) acceptors.set(stream, (a = compileAcceptor(streams[stream].schema)));
  return a;
}

function peek(v: unknown, k: string): string | null {
  if (v && typeof v === 'object' && k in v) {
    const x = (v as Record<string, unknown>)[k];
    return typeof x === 'string' ? x.slice(0, 128) : null;
  }
  return null;
}

/**
 * Bytes from a topic → a valid event of that topic's stream, or the reason it is not one.
 * Never throws: the processor dead-letters what this refuses and goes on.
 */
export function decodeEvent(stream: StreamName, bytes: Buffer | null): Decoded {
  // a tombstone (null value) deletes a key in a compacted topic; on an event topic it carries no event
  if (bytes === null) return { ok: false, reason: 'HD_EVENT_TOMBSTONE', field: '(event)', message: 'null value (tombstone): no event', eventId: null, source: null };
  if (bytes.length === 0) return { ok: false, reason: 'HD_EVENT_NOT_JSON', field: '(event)', message: 'empty message', eventId: null, source: null };
  if (bytes.length > maxEventBytes) return { ok: false, reason: 'HD_EVENT_TOO_LARGE', field: '(event)', message: `${bytes.length} bytes > ${maxEventBytes}`, eventId: null, source: null };
  // decoding would silently turn such bytes into U+FFFD and store text nobody sent
  if (!isUtf8(bytes)) return { ok: false, reason: 'HD_EVENT_NOT_UTF8', field: '(event)', message: 'bytes are not valid UTF-8', eventId: null, source: null };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return { ok: false, reason: 'HD_EVENT_NOT_JSON', field: '(event)', message: (e as Error).message, eventId: null, source: null };
  }
  // id and source are read for the dead letter only: the valid path (the hot one) skips them
  if (value && typeof value === 'object' && 'stream' in value && (value as { stream: unknown }).stream !== stream) {
    const eventId = peek(value, 'id');
    const source = peek(value, 'source');
    return { ok: false, reason: 'HD_EVENT_WRONG_TOPIC', field: 'stream', message: `stream: "${String((value as { stream: unknown }).stream)}" does not belong on the ${streams[stream].topic} topic`, eventId, source };
  }
  // the common case, a valid event, is answered by the acceptor compiled from the same schema;
  // zod itself reads the rest and gives the reason
  if (acceptorOf(stream)(value)) return { ok: true, event: value as AnyEvent };
  const parsed = streams[stream].schema.safeParse(value);
  if (parsed.success) return { ok: true, event: parsed.data as AnyEvent };
  const eventId = peek(value, 'id');
  const source = peek(value, 'source');
  const { field, message } = describeIssues(parsed.error);
  const reason: DeadLetterReason = field === 'version' ? 'HD_EVENT_UNSUPPORTED_VERSION' : 'HD_EVENT_INVALID';
  return { ok: false, reason, field, message, eventId, source };
}

/**
 * A message from the log → a valid event, or why not. A record batch the log could not decode
 * arrives as one message standing for its whole offset range (LogMessage.undecodable): it is
 * refused with the batch's reason and range. The key plays no part: it only chose the
 * partition, and an event with a null key is stored like any other.
 */
export function decodeMessage(stream: StreamName, m: Pick<LogMessage, 'value' | 'undecodable'>): Decoded {
  const u = m.undecodable;
  if (u) {
    const records = BigInt(u.lastOffset) - BigInt(u.firstOffset) + 1n;
    const kept = m.value ? '' : ' (batch too large to keep its bytes here; Kafka still holds them)';
    return { ok: false, reason: u.reason, field: '(batch)', message: `record batch at offsets ${u.firstOffset}-${u.lastOffset} (${records} records) could not be decoded: ${u.message}${kept}`, eventId: null, source: null };
  }
  return decodeEvent(stream, m.value);
}
