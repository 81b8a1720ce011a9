/**
 * Calendar days in the city's zone. Upstream exports count per local day (a ward's doses on
 * 15/8 in Vũng Tàu); events carry instants, so a day becomes the instant its interval ends
 * or starts in the pack's time zone.
 */
function offsetMinutes(ms: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** local midnight of `day` (YYYY-MM-DD) as a UTC ISO instant */
export function localMidnight(day: string, timeZone: string): string {
  const utc = Date.parse(`${day}T00:00:00Z`);
  return new Date(utc - offsetMinutes(utc, timeZone) * 60_000).toISOString();
}

/** the local calendar day of an instant */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
