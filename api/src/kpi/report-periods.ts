import { z } from 'zod';
import { localMidnight, nextDate } from './local-time.ts';

/**
 * The plan's reporting dates: departments report results by 15 Aug 2022, then in Aug 2023
 * and Apr 2024 (the city reports to the province on 25 Aug 2022, Aug 2023, Apr 2024). Each
 * report covers the time since the previous one; the first starts with Resolution 11/NQ-CP
 * (30 Jan 2022). Bounds are local midnight in Vũng Tàu (UTC+7). They are shortcuts: any
 * period can be asked for with from/to.
 */
export const reportPeriods = [
  { id: '2022-08-15', label: { vi: 'Báo cáo kết quả đến 15/8/2022', en: 'Results to 15 Aug 2022' }, from: '2022-01-30T00:00:00+07:00', to: '2022-08-15T00:00:00+07:00' },
  { id: '2023-08', label: { vi: 'Báo cáo tháng 8/2023', en: 'Report of Aug 2023' }, from: '2022-08-15T00:00:00+07:00', to: '2023-09-01T00:00:00+07:00' },
  { id: '2024-04', label: { vi: 'Báo cáo tháng 4/2024', en: 'Report of Apr 2024' }, from: '2023-09-01T00:00:00+07:00', to: '2024-05-01T00:00:00+07:00' },
] as const;
export type ReportPeriodId = (typeof reportPeriods)[number]['id'];
const reportPeriodIds = reportPeriods.map((p) => p.id) as [ReportPeriodId, ...ReportPeriodId[]];

/**
 * A period bound: an instant with its zone, or a calendar date in the city's zone. `from=2022-08-01&to=2022-08-31`
 * covers 1–31 August local: a date `to` is the last day included.
 */
const periodBound = z.union([
  z.iso.date({ message: 'must be a date (yyyy-mm-dd, a local day of the city) or an ISO 8601 date-time with a zone' }),
  z.iso.datetime({ offset: true, message: 'must be a date (yyyy-mm-dd, a local day of the city) or an ISO 8601 date-time with a zone' }),
]);

export const periodQuery = {
  report: z.enum(reportPeriodIds).optional(),
  from: periodBound.optional(),
  to: periodBound.optional(),
};
export const eitherReportOrRange = (q: { report?: string | undefined; from?: string | undefined; to?: string | undefined }) => (q.report ? !q.from && !q.to : !!(q.from && q.to));
export const eitherMessage = { message: 'give either report or both from and to', path: ['report'] };

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

/** the half-open [from, to) a query names, in the city's zone for dates */
export function resolvePeriod(q: { report?: string | undefined; from?: string | undefined; to?: string | undefined }, tz: string): { id: string | null; from: Date; to: Date } {
  const plan = q.report ? reportPeriods.find((p) => p.id === q.report) : undefined;
  if (plan) return { id: plan.id, from: new Date(plan.from), to: new Date(plan.to) };
  const from = isDate(q.from!) ? localMidnight(q.from!, tz) : new Date(q.from!);
  const to = isDate(q.to!) ? localMidnight(nextDate(q.to!), tz) : new Date(q.to!);
  return { id: null, from, to };
}

/** instants the store's DateTime64 holds and a report can mean: 1970 up to 2100 */
const earliest = Date.UTC(1970, 0, 1);
const latest = Date.UTC(2100, 0, 1);

/** what is wrong with a resolved period, naming the field, or null */
export function periodProblem(p: { from: Date; to: Date }): { field: string; message: string } | null {
  for (const [field, d] of [['querystring.from', p.from], ['querystring.to', p.to]] as const) {
    if (Number.isNaN(d.getTime()) || d.getTime() < earliest || d.getTime() > latest) return { field, message: 'must lie between 1970 and 2100' };
  }
  if (p.from >= p.to) return { field: 'querystring.from', message: 'must be before to' };
  return null;
}
