import type { ClickHouseClient } from '@clickhouse/client';
import { allDescriptors, dataStreams, type DataStreamName } from '@haidang/stream';
import { selectRows } from './store-query.ts';
import { isoFromCh } from './time-range.ts';

/**
 * How often each stream is expected to report, and when: ONE definition, from the city pack
 * (`cadence` in pack.json), used by /freshness (the wall's badges), by source health and by
 * the alert on silent sources. `hours` are the local hours the stream reports in (markets
 * report in the morning, clinics in their sessions); outside them silence is expected. A
 * stream is stale when it stayed silent for more than two cadences of its reporting hours:
 * a source silent only at night is not stale in the morning before its first report is due.
 * Received time (wall clock) decides, not observed time, which a replay or the simulator may
 * put anywhere.
 */
export interface StreamCadence {
  /** expected time between two reports, minutes */
  cadenceMinutes: number;
  /** local reporting hours, "HH:MM" (to may be before from: across midnight); null = around the clock */
  hours: { from: string; to: string } | null;
  /** days it reports on, 0 = Sunday; absent = every day */
  weekdays?: number[] | undefined;
}
export type StreamCadences = Record<DataStreamName, StreamCadence>;

/** used when the pack says nothing (and by tests): each stream's descriptor's default (the values of the Vũng Tàu pack) */
export const defaultCadences: StreamCadences = Object.fromEntries(allDescriptors.map((d) => [d.name, { ...d.cadence }])) as StreamCadences;
export const defaultTimeZone = 'Asia/Ho_Chi_Minh';

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** the zone's offset from UTC at `ms`, in ms (Intl, so any IANA zone and its DST) */
function offsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(ms / 1000) * 1000;
}

/** the reporting windows of one local day (ms since that local midnight) */
function windowsOfDay(c: StreamCadence): Array<[number, number]> {
  if (!c.hours) return [[0, 86_400_000]];
  const from = minutesOf(c.hours.from) * 60_000, to = minutesOf(c.hours.to) * 60_000;
  return from <= to ? [[from, to]] : [[0, to], [from, 86_400_000]];
}

/** how much of [fromMs, toMs] falls inside the stream's reporting hours */
export function reportingMsBetween(fromMs: number, toMs: number, c: StreamCadence, timeZone = defaultTimeZone): number {
  if (toMs <= fromMs) return 0;
  if (!c.hours && !c.weekdays) return toMs - fromMs;
  const off = offsetMs(toMs, timeZone);
  const a = fromMs + off, b = toMs + off;
  // a source silent for a year is stale whatever its hours: no need to walk every day of it
  const start = Math.max(a, b - 400 * 86_400_000);
  let sum = 0;
  for (let day = Math.floor(start / 86_400_000) * 86_400_000; day < b; day += 86_400_000) {
    if (c.weekdays && !c.weekdays.includes(new Date(day).getUTCDay())) continue;
    for (const [w0, w1] of windowsOfDay(c)) sum += Math.max(0, Math.min(b, day + w1) - Math.max(start, day + w0));
  }
  return sum;
}

/** true when `ms` is outside the stream's reporting hours */
export function outsideHours(ms: number, c: StreamCadence, timeZone = defaultTimeZone): boolean {
  if (!c.hours && !c.weekdays) return false;
  const local = ms + offsetMs(ms, timeZone);
  const day = Math.floor(local / 86_400_000) * 86_400_000;
  if (c.weekdays && !c.weekdays.includes(new Date(day).getUTCDay())) return true;
  return !windowsOfDay(c).some(([w0, w1]) => local >= day + w0 && local < day + w1);
}

/** stale: never heard from, or silent for more than two cadences of reporting time */
export function isStale(lastReceivedMs: number | null, nowMs: number, c: StreamCadence, timeZone = defaultTimeZone): boolean {
  if (lastReceivedMs === null) return true;
  return reportingMsBetween(lastReceivedMs, nowMs, c, timeZone) > 2 * c.cadenceMinutes * 60_000;
}

export async function freshness(client: ClickHouseClient, now = new Date(), cadences: StreamCadences = defaultCadences, timeZone = defaultTimeZone) {
  const parts = dataStreams.map((s) => `SELECT '${s}' AS stream, toString(max(observed_at)) AS observed_at, toString(max(received_at)) AS received_at, count() AS series FROM ${s}_latest`);
  const rows = await selectRows<{ stream: DataStreamName; observed_at: string; received_at: string; series: string }>(client, parts.join(' UNION ALL '));
  return dataStreams.map((s) => {
    const r = rows.find((x) => x.stream === s);
    const has = r && Number(r.series) > 0;
    const received = has ? isoFromCh(r.received_at) : null;
    const receivedMs = received ? Date.parse(received) : null;
    const ageMs = receivedMs === null ? null : now.getTime() - receivedMs;
    const c = cadences[s] ?? defaultCadences[s];
    return {
      stream: s,
      lastObservedAt: has ? isoFromCh(r.observed_at) : null,
      lastReceivedAt: received,
      series: has ? Number(r.series) : 0,
      cadenceSeconds: c.cadenceMinutes * 60,
      reportingHours: c.hours,
      outsideHours: outsideHours(now.getTime(), c, timeZone),
      ageSeconds: ageMs === null ? null : Math.round(ageMs / 1000),
      /** silence counted in reporting hours only: what staleness is judged on */
      silentReportingSeconds: receivedMs === null ? null : Math.round(reportingMsBetween(receivedMs, now.getTime(), c, timeZone) / 1000),
      stale: isStale(receivedMs, now.getTime(), c, timeZone),
    };
  });
}
