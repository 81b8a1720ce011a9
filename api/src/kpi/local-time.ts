/**
 * Wall-clock time in the city's zone, for what leaves the api as a date a person reads (report
 * headings, spreadsheet date cells, CSV dates) and for local dates an evaluator types. Intl
 * knows every IANA zone; nothing here assumes UTC+7.
 */
const partsFormat = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = partsFormat.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    partsFormat.set(tz, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(instant: Date | string | number, tz: string): LocalParts {
  const p = Object.fromEntries(formatter(tz).formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) };
}

/** the zone's offset from UTC at an instant, in ms */
function zoneOffsetMs(instant: Date | number, tz: string): number {
  const t = new Date(instant).getTime();
  const l = localParts(t, tz);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(t / 1000) * 1000;
}

/**
 * The instant's wall clock as a Date whose UTC fields hold the local time: what a spreadsheet
 * cell (which has no zone) must hold so that it shows the city's time.
 */
export const wallClock = (instant: Date | string | number, tz: string): Date => {
  const t = new Date(instant).getTime();
  return new Date(t + zoneOffsetMs(t, tz));
};

/** local midnight of the calendar date `yyyy-mm-dd` in the zone, as an instant */
export function localMidnight(date: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // a date outside what a Date holds: an invalid Date, which the caller refuses by name
  if (!Number.isFinite(guess)) return new Date(NaN);
  let t = guess - zoneOffsetMs(guess, tz);
  // the offset at the result may differ from the guess's (a change of offset near midnight)
  t = guess - zoneOffsetMs(t, tz);
  return new Date(t);
}

/** the calendar date after `yyyy-mm-dd` */
export const nextDate = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** the local calendar date of an instant, yyyy-mm-dd */
export const localDate = (instant: Date | string | number, tz: string): string => {
  const l = localParts(instant, tz);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
};
