import type { KpiDefinition } from '../kpi/definitions.ts';
import type { Trend } from './report-data.ts';

/**
 * How the report writes things for a Vietnamese reader: vi-VN numbers (1.234,5), percentages
 * (60,0%), dates as dd/mm/yyyy in Vũng Tàu time (UTC+7, no daylight saving).
 */
const percent = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const count = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const localOffsetMs = 7 * 3_600_000;

export const viNumber = (unit: KpiDefinition['unit'], v: number | null): string => (v === null ? '—' : unit === 'ratio' ? percent.format(v) : count.format(v));

/** an instant as its Vũng Tàu wall-clock time, for cells and labels that have no zone */
export const localWallClock = (d: Date | string): Date => new Date(new Date(d).getTime() + localOffsetMs);

export const viDate = (d: Date | string): string => {
  const l = localWallClock(d);
  return `${String(l.getUTCDate()).padStart(2, '0')}/${String(l.getUTCMonth() + 1).padStart(2, '0')}/${l.getUTCFullYear()}`;
};

/** the last day a half-open period [from, to) covers */
export const viLastDay = (to: Date) => viDate(new Date(to.getTime() - 1));

export const viMet = (met: boolean | null) => (met === null ? 'Không đánh giá' : met ? 'Đạt' : 'Không đạt');

export const viTrend = (t: Trend, improving: boolean | null) =>
  ({ up: 'Tăng', down: 'Giảm', flat: 'Ổn định', unknown: 'Chưa đủ dữ liệu' })[t] + (improving === null ? '' : improving ? ' (tốt lên)' : ' (xấu đi)');

export const viDirection = (d: KpiDefinition['direction']) => (d === 'max' ? 'Không vượt quá' : 'Tối thiểu');

export const viSeries = (s: string) => (s === '' ? 'Toàn thành phố' : s.replace(/^tier-(\d)$/, 'Tầng $1'));

export const viTargetOrigin = (o: KpiDefinition['origin']) => ({ plan: 'Kế hoạch (NQ 11/NQ-CP)', fact: 'Mức đã đạt', assumed: 'Giả định' })[o];

export const viPeriod = (p: KpiDefinition['period']) => ({ day: 'ngày', week: 'tuần', month: 'tháng' })[p];
