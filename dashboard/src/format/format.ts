/**
 * Numbers, money, shares and times for the wall, through Intl: vi-VN writes 1.234.567 ₫ and
 * dd/mm/yyyy, en writes 1,234,567 and its own order. Times are shown in Vũng Tàu's zone
 * whatever the browser's zone is (the wall and an evaluator's laptop must agree).
 */
export type Lang = 'vi' | 'en';
export const timeZone = 'Asia/Ho_Chi_Minh';
const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

export function formatNumber(lang: Lang, n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return cached(`n${lang}${digits}`, () => new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: digits })).format(n);
}

export function formatVnd(lang: Lang, n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return cached(`c${lang}`, () => new Intl.NumberFormat(locale(lang), { style: 'currency', currency: 'VND', maximumFractionDigits: 0 })).format(n);
}

/** a ratio (0.5) as a percentage (50 %); `signed` shows +/− for deviations */
export function formatShare(lang: Lang, r: number | null | undefined, digits = 0, signed = false): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return cached(`p${lang}${digits}${signed}`, () => new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits, signDisplay: signed ? 'exceptZero' : 'auto' })).format(r);
}

export function formatDate(lang: Lang, iso: string | number | Date | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  return cached(`d${lang}`, () => new Intl.DateTimeFormat(locale(lang), { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' })).format(new Date(iso));
}

export function formatDateTime(lang: Lang, iso: string | number | Date | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  return cached(`dt${lang}`, () => new Intl.DateTimeFormat(locale(lang), { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })).format(new Date(iso));
}

/** "3 phút trước" / "3 minutes ago" for freshness */
export function formatAge(lang: Lang, seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const rtf = cached(`r${lang}`, () => new Intl.RelativeTimeFormat(locale(lang), { numeric: 'auto' }) as unknown as Intl.NumberFormat) as unknown as Intl.RelativeTimeFormat;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return rtf.format(-s, 'second');
  if (s < 3600) return rtf.format(-Math.floor(s / 60), 'minute');
  if (s < 86_400) return rtf.format(-Math.floor(s / 3600), 'hour');
  return rtf.format(-Math.floor(s / 86_400), 'day');
}
