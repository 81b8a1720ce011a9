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
  ['a bidirectional override in a name (shows other text than stored)', 'vaccination', (e) => (e.payload.vaccine = 'Pfizer\u202Efdp.exe'), 'HD_EVENT_INVALID', 'payload.vaccine'],
  ['a line break in a name (a new row for a careless CSV reader)', 'vaccination', (e) => (e.payload.vaccine = 'Pfizer\n=2+5'), 'HD_EVENT_INVALID', 'payload.vaccine'],
  ['a control character in a unit', 'prices', (e) => (e.payload.unit = 'kg\u0007'), 'HD_EVENT_INVALID', 'payload.unit'],
  ['fractional đồng', 'prices', (e) => (e.payload.priceVnd = 95000.5), 'HD_EVENT_INVALID', 'payload.priceVnd'],
  ['online above received', 'dossiers', (e) => (e.payload.receivedOnline = 41), 'HD_EVENT_INVALID', 'payload.receivedOnline'],
  ['resolved ≠ on time + late', 'dossiers', (e) => (e.payload.resolved = 36), 'HD_EVENT_INVALID', 'payload.resolved'],
  ['event of another stream on this topic', 'prices', (e) => (e.stream = 'capacity'), 'HD_EVENT_WRONG_TOPIC', 'stream'],
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

/** What the columns can hold (stream/src/store/tables.ts): the contract refuses beyond it, naming the field. */
type Bound = [name: string, stream: StreamName, change: (e: any) => void, field: string, message: RegExp];
const beyondColumns: Bound[] = [
  ['bedsTotal 2³² + 200 (UInt32 would store 200)', 'capacity', (e) => (e.payload.bedsTotal = 4294967496), 'payload.bedsTotal', /at most 4,294,967,295/],
  ['doses 2³² + 1 (UInt32 would store 1)', 'vaccination', (e) => (e.payload.doses = 4294967297), 'payload.doses', /at most 4,294,967,295/],
  ['a nested count 2³²', 'capacity', (e) => (e.payload.patientsBySupport.ecmo = 2 ** 32), 'payload.patientsBySupport.ecmo', /UInt32/],
  ['dossiers received 2⁵³', 'dossiers', (e) => (e.payload.received = 2 ** 53), 'payload.received', /./],
  ['oxygenStockLitres 1e300', 'capacity', (e) => (e.payload.oxygenStockLitres = 1e300), 'payload.oxygenStockLitres', /at most 1,000,000,000 litres/],
  ['oxygenStockLitres 2⁶⁰', 'capacity', (e) => (e.payload.oxygenStockLitres = 2 ** 60), 'payload.oxygenStockLitres', /at most/],
  ['observedAt 2999-01-01 (past UInt32 seconds)', 'capacity', (e) => (e.observedAt = '2999-01-01T00:00:00Z'), 'observedAt', /between 1970-01-01T00:00:00Z and 2106-02-07T06:28:15Z/],
  ['observedAt one second past 2106-02-07T06:28:15Z', 'prices', (e) => (e.observedAt = '2106-02-07T06:28:16Z'), 'observedAt', /between/],
  ['observedAt before 1970', 'vaccination', (e) => (e.observedAt = '1969-12-31T23:59:59Z'), 'observedAt', /between/],
  ['observedAt 1970-01-01 00:00 in Vietnam (17:00 the day before in UTC)', 'dossiers', (e) => (e.observedAt = '1970-01-01T00:00:00+07:00'), 'observedAt', /between/],
  ['receivedAt 2999', 'capacity', (e) => (e.receivedAt = '2999-01-01T00:00:00Z'), 'receivedAt', /between/],
  ['id null (never replaced by a default)', 'capacity', (e) => (e.id = null), 'id', /UUID/],
  ['version null', 'capacity', (e) => (e.version = null), 'version', /version/],
  ['receivedAt ""', 'prices', (e) => (e.receivedAt = ''), 'receivedAt', /ISO 8601/],
  ['receivedAt 42', 'prices', (e) => (e.receivedAt = 42), 'receivedAt', /./],
  ['receivedAt 25/11/2026', 'prices', (e) => (e.receivedAt = '25/11/2026'), 'receivedAt', /ISO 8601/],
];

describe('a value its column cannot hold is refused, naming the field (never wrapped, clipped or replaced)', () => {
  it.each(beyondColumns)('%s', (_name, stream, change, field, message) => {
    const e = validEvent(stream) as any;
    change(e);
    const r = decodeEvent(stream, bytesOf(e));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe(field);
    expect(r.message).toMatch(message);
  });

  it.each([
    ['the largest UInt32 count', 'capacity', (e: any) => ((e.payload.bedsTotal = 4294967295), (e.payload.bedsOccupied = 4294967295), (e.payload.oxygenBedsTotal = 0), (e.payload.oxygenBedsOccupied = 0))],
    ['10⁹ litres of oxygen', 'capacity', (e: any) => (e.payload.oxygenStockLitres = 1e9)],
    ['the first instant (1970-01-01T00:00:00Z)', 'prices', (e: any) => (e.observedAt = '1970-01-01T07:00:00+07:00')],
    ['the last instant (2106-02-07T06:28:15Z)', 'prices', (e: any) => (e.observedAt = '2106-02-07T13:28:15.999+07:00')],
  ] as Array<[string, StreamName, (e: any) => void]>)('accepts the edge: %s', (_n, stream, change) => {
    const e = validEvent(stream) as any;
    change(e);
    const r = decodeEvent(stream, bytesOf(e));
    expect(r.ok, JSON.stringify(r)).toBe(true);
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
