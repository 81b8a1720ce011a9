import type { ClickHouseClient } from '@clickhouse/client';
import { chTime, dataStreams, descriptorOf, type DataStreamName } from '@haidang/stream';
import { localDate, nextDate } from '../kpi/local-time.ts';
import { selectRows } from '../state/store-query.ts';
import type { ReportPeriod } from './report-data.ts';

/** a run of consecutive local days, both included (yyyy-mm-dd) */
interface DayRange {
  from: string;
  to: string;
}

/** what data a stream has in the period, by local day: a report on partial data says what is missing */
export interface StreamCoverage {
  stream: DataStreamName;
  days: number;
  daysWithData: number;
  reports: number;
  /** local days without a single report, as runs */
  missing: DayRange[];
}

/** the local calendar days of [from, to) in the zone */
function localDays(period: { from: Date; to: Date }, tz: string): string[] {
  const first = localDate(period.from, tz);
  const last = localDate(new Date(period.to.getTime() - 1), tz);
  const out: string[] = [];
  for (let d = first; d <= last; d = nextDate(d)) out.push(d);
  return out;
}

/** consecutive days as runs */
function runsOf(days: string[]): DayRange[] {
  const runs: DayRange[] = [];
  for (const d of days) {
    const last = runs.at(-1);
    if (last && nextDate(last.to) === d) last.to = d;
    else runs.push({ from: d, to: d });
  }
  return runs;
}

/** the days a report covers: one for a stream reporting at least daily; a slower stream's report (monthly disbursement) covers the days of its cadence from its own */
const coveredDays = (stream: DataStreamName) => Math.max(1, Math.floor(descriptorOf(stream).cadence.cadenceMinutes / 1440));

/** per stream: which local days of the period have reports (or are within the cadence of one) and which do not */
export async function streamCoverage(store: ClickHouseClient, period: ReportPeriod, tz: string): Promise<StreamCoverage[]> {
  const days = localDays(period, tz);
  return Promise.all(
    dataStreams.map(async (stream) => {
      const span = coveredDays(stream);
      // a slow stream's report before the period covers its first days
      const params = { from: chTime(new Date(period.from.getTime() - (span - 1) * 86_400_000)), to: chTime(period.to), tz };
      const rows = await selectRows<{ day: string; n: string }>(store, `SELECT toString(toDate(observed_at, {tz:String})) AS day, count() AS n FROM ${stream}_raw WHERE observed_at >= {from:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')} GROUP BY day`, params);
      const seen = new Set<string>();
      for (const r of rows) for (let d = r.day, k = 0; k < span; d = nextDate(d), k++) seen.add(d);
      const inPeriod = rows.filter((r) => r.day >= days[0]!);
      return { stream, days: days.length, daysWithData: days.filter((d) => seen.has(d)).length, reports: inPeriod.reduce((a, r) => a + Number(r.n), 0), missing: runsOf(days.filter((d) => !seen.has(d))) };
    }),
  );
}
