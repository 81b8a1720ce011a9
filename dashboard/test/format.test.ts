import { describe, expect, it } from 'vitest';
import { formatAge, formatDate, formatDateTime, formatNumber, formatShare, formatVnd } from '../src/format/format.ts';

/** Intl separates the currency with a no-break space: compare with plain spaces */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatting for the wall', () => {
  it.each([
    ['vi', 1234567, '1.234.567 ₫'],
    ['en', 1234567, '₫1,234,567'],
  ] as const)('%s money: %d → %s', (lang, n, want) => expect(plain(formatVnd(lang, n))).toBe(want));

  it('numbers group thousands the local way', () => {
    expect(formatNumber('vi', 1234567)).toBe('1.234.567');
    expect(formatNumber('en', 1234567)).toBe('1,234,567');
    expect(formatNumber('vi', 0.5, 1)).toBe('0,5');
  });

  it('shares are percentages; deviations carry their sign', () => {
    expect(plain(formatShare('vi', 0.5))).toBe('50%');
    expect(plain(formatShare('vi', 0.123, 1, true))).toBe('+12,3%');
    expect(plain(formatShare('en', -0.05, 0, true))).toBe('-5%');
  });

  it('dates are dd/mm/yyyy in Vũng Tàu time, whatever the machine zone', () => {
    // 17:30 UTC on 14 Aug is already 15 Aug in UTC+7
    expect(formatDate('vi', '2022-08-14T17:30:00Z')).toBe('15/08/2022');
    expect(formatDate('en', '2022-08-14T17:30:00Z')).toBe('15/08/2022');
    expect(formatDateTime('vi', '2022-08-14T17:30:00Z')).toMatch(/00:30/);
  });

  it('missing values show a dash, never NaN', () => {
    for (const s of [formatNumber('vi', null), formatVnd('en', undefined), formatShare('vi', Number.NaN), formatDate('vi', null), formatAge('en', null)]) expect(s).toBe('—');
  });

  it('ages read as relative times in each language', () => {
    expect(formatAge('en', 180)).toBe('3 minutes ago');
    expect(formatAge('vi', 7200)).toBe('2 giờ trước');
  });
});
