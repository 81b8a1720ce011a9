import { describe, expect, it } from 'vitest';
import { decodeEvent } from '../src/contracts/decode.ts';
import { streams, type StreamName } from '../src/contracts/registry.ts';
import { bytesOf, validEvent } from './fixtures/events.ts';

const all = Object.keys(streams) as StreamName[];

describe('every stream accepts its valid example', () => {
  it.each(all)('%s', (s) => {
    const r = decodeEvent(s, bytesOf(validEvent(s)));
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});

type Case = [name: string, stream: StreamName, change: (e: any) => void, reason: string, field: string];
const cases: Case[] = [
  ['missing entity', 'capacity', (e) => delete e.entity, 'HD_EVENT_INVALID', 'entity'],
  ['id not a UUID', 'prices', (e) => (e.id = 'abc'), 'HD_EVENT_INVALID', 'id'],
  ['time without zone', 'prices', (e) => (e.observedAt = '2022-08-15 07:00'), 'HD_EVENT_INVALID', 'observedAt'],
  ['unknown schema version', 'capacity', (e) => (e.version = 2), 'HD_EVENT_UNSUPPORTED_VERSION', 'version'],
  ['unknown top-level field (strict)', 'dossiers', (e) => (e.extra = 1), 'HD_EVENT_INVALID', '(event)'],
  ['number as string (no coercion)', 'capacity', (e) => (e.payload.bedsTotal = '200'), 'HD_EVENT_INVALID', 'payload.bedsTotal'],
  ['empty string is not zero', 'vaccination', (e) => (e.payload.doses = ''), 'HD_EVENT_INVALID', 'payload.doses'],
  ['negative count', 'vaccination', (e) => (e.payload.doses = -1), 'HD_EVENT_INVALID', 'payload.doses'],
  ['tier 4', 'capacity', (e) => (e.payload.tier = 4), 'HD_EVENT_INVALID', 'payload.tier'],
  ['occupied above total', 'capacity', (e) => (e.payload.oxygenBedsOccupied = 81), 'HD_EVENT_INVALID', 'payload.oxygenBedsOccupied'],
  ['unknown support kind', 'capacity', (e) => (e.payload.patientsBySupport.helmet = 1), 'HD_EVENT_INVALID', 'payload.patientsBySupport'],
  ['unknown age group', 'vaccination', (e) => (e.payload.ageGroup = 'adults'), 'HD_EVENT_INVALID', 'payload.ageGroup'],
  ['fractional đồng', 'prices', (e) => (e.payload.priceVnd = 95000.5), 'HD_EVENT_INVALID', 'payload.priceVnd'],
  ['online above received', 'dossiers', (e) => (e.payload.receivedOnline = 41), 'HD_EVENT_INVALID', 'payload.receivedOnline'],
  ['resolved ≠ on time + late', 'dossiers', (e) => (e.payload.resolved = 36), 'HD_EVENT_INVALID', 'payload.resolved'],
  ['event of another stream on this topic', 'prices', (e) => (e.stream = 'capacity'), 'HD_EVENT_WRONG_TOPIC', 'stream'],
  ['alert with unknown severity', 'alerts', (e) => (e.payload.severity = 'panic'), 'HD_EVENT_INVALID', 'payload.severity'],
];

describe('each kind of wrong field is refused with a message naming the field', () => {
  it.each(cases)('%s', (_name, stream, change, reason, field) => {
    const e = validEvent(stream) as any;
    change(e);
    const r = decodeEvent(stream, bytesOf(e));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    expect(r.field).toBe(field);
    expect(r.message).toContain(field === '(event)' ? 'extra' : field.split('.').pop()!);
  });
});

describe('bytes that are not an event', () => {
  it.each([
    ['not JSON', '{"id": '],
    ['empty', ''],
  ])('%s → HD_EVENT_NOT_JSON', (_n, raw) => {
    const r = decodeEvent('capacity', Buffer.from(raw));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('HD_EVENT_NOT_JSON');
  });
  it('over 64 KiB → HD_EVENT_TOO_LARGE, unread', () => {
    const r = decodeEvent('capacity', Buffer.alloc(70_000, 'a'));
    expect(!r.ok && r.reason).toBe('HD_EVENT_TOO_LARGE');
  });
  it('keeps the event id and source of an invalid event for tracing', () => {
    const e = validEvent('prices') as any;
    e.payload.priceVnd = -5;
    const r = decodeEvent('prices', bytesOf(e));
    expect(!r.ok && r.eventId).toBe(e.id);
    expect(!r.ok && r.source).toBe('test-source');
  });
});
