import { afterEach, expect, it, vi } from 'vitest';
import { sharedNow } from '../src/time/shared-now.ts';

afterEach(() => void vi.useRealTimers());

it('ends a rolling range on the next whole minute, so screens asking within one minute send the same URL', () => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-12-06T09:41:00.001Z'));
  const first = sharedNow().toISOString();
  vi.setSystemTime(new Date('2026-12-06T09:41:59.999Z'));
  expect(sharedNow().toISOString()).toBe(first);
  expect(first).toBe('2026-12-06T09:42:00.000Z');
  // on the minute itself, nothing is added: the range never ends before now
  vi.setSystemTime(new Date('2026-12-06T09:42:00.000Z'));
  expect(sharedNow().toISOString()).toBe('2026-12-06T09:42:00.000Z');
});
