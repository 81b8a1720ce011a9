import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../src/contracts/decode.ts';
import { bytesOf, validEvent } from './fixtures/events.ts';

/** what a message that cannot be an event turns into: a reason a reader of the dead letters understands */
describe('poison messages get a precise reason', () => {
  it('a tombstone (null value) is HD_EVENT_TOMBSTONE, an empty value HD_EVENT_NOT_JSON', () => {
    expect(decodeMessage('capacity', { value: null })).toMatchObject({ ok: false, reason: 'HD_EVENT_TOMBSTONE' });
    expect(decodeMessage('capacity', { value: Buffer.alloc(0) })).toMatchObject({ ok: false, reason: 'HD_EVENT_NOT_JSON' });
  });

  it('bytes that are not UTF-8 are refused, not stored with replacement characters', () => {
    const json = JSON.stringify(validEvent('capacity'));
    // Latin-1 "é" (0xE9) inside an otherwise valid event: JSON.parse of a lenient decode would succeed
    const latin1 = Buffer.from(json.replace('"source":"', '"source":"caf\u00e9-'), 'latin1');
    const r = decodeMessage('capacity', { value: latin1 });
    expect(r).toMatchObject({ ok: false, reason: 'HD_EVENT_NOT_UTF8', field: '(event)' });
    // the untouched event, as UTF-8, is valid
    expect(decodeMessage('capacity', { value: Buffer.from(json, 'utf8') }).ok).toBe(true);
  });

  it('a batch the log could not decode is refused with its reason and offset range', () => {
    const r = decodeMessage('prices', { value: Buffer.from([1, 2, 3]), undecodable: { reason: 'HD_BATCH_CORRUPT', firstOffset: '120', lastOffset: '169', message: 'zstd: Unknown frame descriptor' } });
    expect(r).toMatchObject({ ok: false, reason: 'HD_BATCH_CORRUPT', field: '(batch)' });
    expect(!r.ok && r.message).toBe('record batch at offsets 120-169 (50 records) could not be decoded: zstd: Unknown frame descriptor');
  });

  it('a valid event is accepted whatever its key (the key only chose the partition)', () => {
    expect(decodeMessage('prices', { value: bytesOf(validEvent('prices')) }).ok).toBe(true);
  });
});
