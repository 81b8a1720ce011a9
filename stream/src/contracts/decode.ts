import type { z } from 'zod';
import type { DeadLetterReason } from './dead-letter.ts';
import { streams, type AnyEvent, type StreamName } from './registry.ts';

export type Decoded =
  | { ok: true; event: AnyEvent }
  | { ok: false; reason: DeadLetterReason; field: string; message: string; eventId: string | null; source: string | null };

/** Upper bound on one event's bytes; anything larger is dead-lettered unread. */
export const maxEventBytes = 64 * 1024;

/** Dotted path of the first issue, e.g. `payload.oxygenBedsOccupied`; `(event)` for the whole. */
export function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.length ? issue.path.map(String).join('.') : '(event)';
}

export function describeIssues(error: z.ZodError): { field: string; message: string } {
  const first = error.issues[0];
  if (!first) return { field: '(event)', message: 'invalid' };
  const all = error.issues.slice(0, 5).map((i) => `${issuePath(i)}: ${i.message}`).join('; ');
  return { field: issuePath(first), message: all };
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
  if (!bytes || bytes.length === 0) return { ok: false, reason: 'HD_EVENT_NOT_JSON', field: '(event)', message: 'empty message', eventId: null, source: null };
  if (bytes.length > maxEventBytes) return { ok: false, reason: 'HD_EVENT_TOO_LARGE', field: '(event)', message: `${bytes.length} bytes > ${maxEventBytes}`, eventId: null, source: null };
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
  const parsed = streams[stream].schema.safeParse(value);
  if (parsed.success) return { ok: true, event: parsed.data as AnyEvent };
  const eventId = peek(value, 'id');
  const source = peek(value, 'source');
  const { field, message } = describeIssues(parsed.error);
  const reason: DeadLetterReason = field === 'version' ? 'HD_EVENT_UNSUPPORTED_VERSION' : 'HD_EVENT_INVALID';
  return { ok: false, reason, field, message, eventId, source };
}
