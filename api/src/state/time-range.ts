import { z } from 'zod';
import { chTime } from '@haidang/stream';

/**
 * Steps a series may use, each with its ClickHouse interval and the gauge rollup that
 * holds buckets no coarser than the step (a 6 h step re-buckets the 1 h rollup).
 * Only these literals ever reach SQL text; values travel as query parameters.
 */
export const steps = {
  '1m': { ms: 60_000, interval: 'INTERVAL 1 MINUTE', rollup: '1m' },
  '5m': { ms: 300_000, interval: 'INTERVAL 5 MINUTE', rollup: '1m' },
  '15m': { ms: 900_000, interval: 'INTERVAL 15 MINUTE', rollup: '1m' },
  '1h': { ms: 3_600_000, interval: 'INTERVAL 1 HOUR', rollup: '1h' },
  '6h': { ms: 21_600_000, interval: 'INTERVAL 6 HOUR', rollup: '1h' },
  '1d': { ms: 86_400_000, interval: 'INTERVAL 1 DAY', rollup: '1d' },
  '7d': { ms: 604_800_000, interval: 'INTERVAL 7 DAY', rollup: '1d' },
  '1M': { ms: 2_592_000_000, interval: 'INTERVAL 1 MONTH', rollup: '1d' },
} as const;
export type Step = keyof typeof steps;
const stepNames = Object.keys(steps) as [Step, ...Step[]];

/** most buckets one series answer may have */
const maxPoints = 20_000;

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone, e.g. 2022-08-15T00:00:00+07:00' });

/** `from`/`to`/`step` of every series route; `to` defaults to now, `from` to 7 days before `to` */
export const rangeQuery = {
  from: instant.optional(),
  to: instant.optional(),
  step: z.enum(stepNames).default('1h'),
};

export interface ResolvedRange {
  /** ClickHouse UTC literals, passed as DateTime64(3) parameters */
  from: string;
  to: string;
  step: Step;
  fromIso: string;
  toIso: string;
}

/** validated range, or the name of the field that is wrong */
export function resolveRange(q: { from?: string | undefined; to?: string | undefined; step: Step }): ResolvedRange | { field: string; message: string } {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86_400_000);
  if (from >= to) return { field: 'querystring.from', message: 'must be before to' };
  if ((to.getTime() - from.getTime()) / steps[q.step].ms > maxPoints) return { field: 'querystring.step', message: `gives more than ${maxPoints} buckets for this range; use a coarser step` };
  return { from: chTime(from), to: chTime(to), step: q.step, fromIso: from.toISOString(), toIso: to.toISOString() };
}

/** ClickHouse's `YYYY-MM-DD hh:mm:ss[.sss]` (UTC columns) → ISO 8601 */
export function isoFromCh(s: string | null | undefined): string | null {
  if (!s) return null;
  const [date, time = '00:00:00'] = s.split(' ');
  return `${date}T${time}${time.length === 8 ? '.000' : ''}Z`;
}
