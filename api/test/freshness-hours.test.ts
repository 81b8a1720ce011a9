import { describe, expect, it } from 'vitest';
import { defaultCadences, isStale, outsideHours, reportingMsBetween } from '../src/state/freshness.ts';
import { cadenceOf, silentSeconds, timeliness } from '../src/source-health/cadence.ts';

/** Vũng Tàu local time (UTC+7) as a UTC instant */
const vn = (iso: string) => Date.parse(`${iso}+07:00`);
const hour = 3_600_000;

describe('one cadence per stream, with reporting hours', () => {
  it('a market silent overnight is not stale in the morning; silent through its hours it is', () => {
    const prices = defaultCadences.prices; // every 8 h, 06:00–16:00
    const last = vn('2026-12-03T15:00:00'); // the afternoon report
    expect(outsideHours(vn('2026-12-04T02:00:00'), prices)).toBe(true);
    expect(isStale(last, vn('2026-12-04T02:00:00'), prices)).toBe(false);
    expect(isStale(last, vn('2026-12-04T09:00:00'), prices)).toBe(false);
    // 1 h that afternoon + 06:00–16:00 the next day + 06:00–… the day after: over 16 h of reporting time
    expect(reportingMsBetween(last, vn('2026-12-05T14:00:00'), prices)).toBe((1 + 10 + 8) * hour);
    expect(isStale(last, vn('2026-12-05T14:00:00'), prices)).toBe(true);
  });

  it('capacity reports around the clock: stale after two silent hours at any time of day', () => {
    const c = defaultCadences.capacity;
    expect(isStale(vn('2026-12-04T01:00:00'), vn('2026-12-04T02:59:00'), c)).toBe(false);
    expect(isStale(vn('2026-12-04T01:00:00'), vn('2026-12-04T03:01:00'), c)).toBe(true);
    expect(isStale(null, Date.now(), c)).toBe(true);
  });

  it('clinics do not report on Sunday: Saturday afternoon to Monday 08:00 is half an hour of silence', () => {
    const v = defaultCadences.vaccination; // 07:30–17:00, Monday to Saturday
    expect(reportingMsBetween(vn('2026-12-05T17:00:00'), vn('2026-12-07T08:00:00'), v)).toBe(0.5 * hour); // 5 Dec 2026 is a Saturday
    expect(isStale(vn('2026-12-05T16:30:00'), vn('2026-12-07T08:00:00'), v)).toBe(false);
  });

  it('source health judges a source by the same cadence and hours', () => {
    expect(cadenceOf('poller:hospital', ['capacity'])).toBe(3600);
    expect(cadenceOf('market-upload', ['prices'])).toBe(8 * 3600);
    const night = silentSeconds(vn('2026-12-03T15:00:00'), vn('2026-12-04T05:00:00'), defaultCadences.prices);
    expect(night).toBe(3600);
    expect(timeliness(night, 8 * 3600)).toBe('ok');
  });
});
