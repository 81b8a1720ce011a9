import type uPlot from 'uplot';
import { formatDateTime, timeZone, type Lang } from '../format/format.ts';

const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');
const fmt = new Map<string, Intl.DateTimeFormat>();
function dtf(lang: Lang, kind: 'time' | 'day' | 'dayTime'): Intl.DateTimeFormat {
  const key = lang + kind;
  let f = fmt.get(key);
  if (!f) {
    const o: Intl.DateTimeFormatOptions =
      kind === 'time' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : kind === 'day' ? { day: '2-digit', month: '2-digit' } : { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    f = new Intl.DateTimeFormat(locale(lang), { timeZone, ...o });
    fmt.set(key, f);
  }
  return f;
}

/**
 * The x axis of every chart on the wall, in the viewer's language and Vũng Tàu's clock:
 * 24-hour times ("14:00"), dates day-first in Vietnamese ("06/12"), never uPlot's built-in
 * English ("6am", "12/2/26"). A series of one point gets an hour either side instead of
 * uPlot's years-wide default range.
 */
export function timeAxisOptions(lang: Lang, label: string): { scale: uPlot.Scale; axis: uPlot.Axis; series: uPlot.Series } {
  return {
    scale: {
      time: true,
      range: (_u, min, max) => (min === max || !Number.isFinite(min) ? [(min || Date.now() / 1000) - 3600, (max || Date.now() / 1000) + 3600] : [min, max]),
    },
    axis: {
      stroke: '#c8d0e0',
      grid: { stroke: '#2a3142' },
      space: 70,
      // a tick at local midnight (or ticks a day or more apart) says the date, "06/12"; the others the hour, "14:00"
      values: (_u, splits) => {
        const step = splits.length > 1 ? splits[1]! - splits[0]! : 3600;
        return splits.map((s) => {
          const p = dtf(lang, 'dayTime').formatToParts(new Date(s * 1000));
          const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
          const midnight = get('hour') === '00' && get('minute') === '00';
          // day first with a slash in both languages (vi-VN alone would write "02-12")
          return step >= 86_400 || midnight ? `${get('day')}/${get('month')}` : `${get('hour')}:${get('minute')}`;
        });
      },
    },
    series: { label, value: (_u, v) => (v === null || v === undefined ? '—' : formatDateTime(lang, v * 1000)) },
  };
}
