import { expect, it } from 'vitest';
import type { AnyEvent } from '@haidang/stream';
import { PendingIds } from '../../src/push/pending-ids.ts';

const report = (id: string, priceVnd: number, receivedAt = '2022-09-01T00:00:00Z') =>
  ({ id, version: 1, stream: 'prices', source: 'cho', entity: 'm-1', observedAt: '2022-09-01T07:00:00+07:00', receivedAt, payload: { commodity: 'pork', unit: 'kg', priceVnd } }) as AnyEvent;
const id = '0191eeee-0000-7000-8000-000000000001';
const conflictsOf = (p: PendingIds, stream: 'prices' | 'vaccination', events: AnyEvent[], now: number) => p.claim(stream, events, now).conflicts;

it('a claimed id refuses other content until it lapses or is let go; the same report received again goes on', () => {
  const pending = new PendingIds({ holdMs: 60_000, max: 10 });
  expect(conflictsOf(pending, 'prices', [report(id, 95_000)], 0)).toEqual(new Set());
  // a resend (received later: the reception time is not the report's content) is no conflict
  expect(conflictsOf(pending, 'prices', [report(id.toUpperCase(), 95_000, '2022-09-01T00:00:05Z')], 1_000)).toEqual(new Set());
  expect(conflictsOf(pending, 'prices', [report(id, 99_000)], 2_000)).toEqual(new Set([id]));
  // another stream's id is another report
  expect(conflictsOf(pending, 'vaccination', [{ ...report(id, 99_000), stream: 'vaccination' } as AnyEvent], 2_000)).toEqual(new Set());
  // held holdMs from the last claim; then the store answers
  expect(conflictsOf(pending, 'prices', [report(id, 99_000)], 60_999)).toEqual(new Set([id]));
  expect(conflictsOf(pending, 'prices', [report(id, 99_000)], 61_000)).toEqual(new Set());
  pending.release('prices', [report(id, 99_000)]);
  expect(conflictsOf(pending, 'prices', [report(id, 95_000)], 61_001)).toEqual(new Set());
});

it('a request that repeats a claimed report, refused for another row, cannot let go of the first claimer\'s hold (the attacker\'s F2)', () => {
  const pending = new PendingIds({ holdMs: 60_000, max: 10 });
  const first = pending.claim('prices', [report(id, 95_000)], 0);
  expect(first.claimed.map((e) => e.id)).toEqual([id]);
  const resend = pending.claim('prices', [report(id, 95_000)], 1);
  expect(resend).toEqual({ conflicts: new Set(), claimed: [] });
  pending.release('prices', resend.claimed);
  expect(conflictsOf(pending, 'prices', [report(id, 12_345)], 2)).toEqual(new Set([id]));
  pending.release('prices', first.claimed);
  expect(conflictsOf(pending, 'prices', [report(id, 12_345)], 3)).toEqual(new Set());
});

it('holds at most `max` ids, letting the oldest go first', () => {
  const pending = new PendingIds({ holdMs: 60_000, max: 2 });
  const ids = [1, 2, 3].map((i) => `0191eeee-0000-7000-8000-00000000000${i}`);
  for (const i of ids) conflictsOf(pending, 'prices', [report(i, 1)], 0);
  expect(conflictsOf(pending, 'prices', ids.map((i) => report(i, 2)), 1)).toEqual(new Set(ids.slice(1)));
});
