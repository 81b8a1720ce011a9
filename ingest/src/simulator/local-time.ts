/** Wall-clock time in the pack's zone: office hours and market mornings are local, events are UTC. */
export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** minutes since local midnight */
  minuteOfDay: number;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function localClock(timeZone: string): (ms: number) => LocalTime {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (ms) => {
    const parts = fmt.formatToParts(ms);
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '0';
    return { weekday: weekdays.indexOf(get('weekday')), minuteOfDay: Number(get('hour')) * 60 + Number(get('minute')) };
  };
}

/** hh:mm → minutes since midnight */
export const at = (hh: number, mm = 0): number => hh * 60 + mm;

/** true when the step that ends at `local` (and lasted `stepMinutes`) passed local time `minute` */
export function stepPasses(local: LocalTime, stepMinutes: number, minute: number): boolean {
  return (local.minuteOfDay - minute + 1440) % 1440 < stepMinutes;
}
