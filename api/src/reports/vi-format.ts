import { allDescriptors } from '@haidang/stream';
import type { KpiDefinition } from '../kpi/definitions.ts';
import { localParts, wallClock } from '../kpi/local-time.ts';
import type { Trend } from './report-data.ts';

/**
 * How the report writes things for a Vietnamese reader: vi-VN numbers (1.234,5), percentages
 * (60,0%), dates as dd/mm/yyyy on the city's clock (its pack's zone).
 */
const percent = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const count = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

export const viNumber = (unit: KpiDefinition['unit'], v: number | null): string => (v === null ? '—' : unit === 'ratio' ? percent.format(v) : count.format(v));
export const viCount = (v: number) => count.format(v);
export const viDecimal = (v: number) => decimal.format(v);
export const viShare = (v: number | null) => (v === null ? '—' : percent.format(v));

/** an instant as the city's wall-clock time, for cells and labels that have no zone */
export const localWallClock = (d: Date | string, tz: string): Date => wallClock(d, tz);

const pad = (n: number) => String(n).padStart(2, '0');
export const viDate = (d: Date | string, tz: string): string => {
  const l = localParts(d, tz);
  return `${pad(l.day)}/${pad(l.month)}/${l.year}`;
};
export const viDateTime = (d: Date | string, tz: string): string => {
  const l = localParts(d, tz);
  return `${pad(l.hour)}:${pad(l.minute)} ${pad(l.day)}/${pad(l.month)}/${l.year}`;
};
/** a local calendar date yyyy-mm-dd as dd/mm/yyyy */
export const viDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/** the last day a half-open period [from, to) covers */
export const viLastDay = (to: Date, tz: string) => viDate(new Date(to.getTime() - 1), tz);

/** a duration in words: 45 phút, 3,5 giờ, 2 ngày */
export const viDuration = (seconds: number | null): string => (seconds === null ? '—' : seconds < 3600 ? `${Math.round(seconds / 60)} phút` : seconds < 172_800 ? `${decimal.format(seconds / 3600)} giờ` : `${decimal.format(seconds / 86_400)} ngày`);

export const viMet = (met: boolean | null) => (met === null ? 'Không đánh giá' : met ? 'Đạt' : 'Không đạt');

export const viTrend = (t: Trend, improving: boolean | null) =>
  ({ up: 'Tăng', down: 'Giảm', flat: 'Ổn định', unknown: 'Chưa đủ dữ liệu' })[t] + (improving === null ? '' : improving ? ' (tốt lên)' : ' (xấu đi)');

export const viDirection = (d: KpiDefinition['direction']) => (d === 'max' ? 'Không vượt quá' : 'Tối thiểu');

export const viSeries = (s: string) => (s === '' ? 'Toàn thành phố' : s.replace(/^tier-(\d)$/, 'Tầng $1'));

export const viTargetOrigin = (o: KpiDefinition['origin']) => ({ plan: 'Kế hoạch (NQ 11/NQ-CP)', fact: 'Mức đã đạt', assumed: 'Giả định' })[o];

export const viPeriod = (p: KpiDefinition['period']) => ({ day: 'ngày', week: 'tuần', month: 'tháng', quarter: 'quý', year: 'năm' })[p];

/** a stream's name in the report: its descriptor's Vietnamese label, in the report's longer wording for the first four */
export const viStream: Record<string, string> = {
  ...Object.fromEntries(allDescriptors.map((d) => [d.name, d.label.vi])),
  capacity: 'Công suất giường điều trị',
  vaccination: 'Tiêm chủng',
  prices: 'Giá hàng thiết yếu',
  dossiers: 'Hồ sơ thủ tục hành chính',
};

export const viOpening = (o: { doses: number; asOf: string; origin: 'pack' | 'upload' }, tz: string) =>
  `gồm ${count.format(o.doses)} mũi tiêm trước ngày vận hành ${viDate(o.asOf, tz)} (số dư đầu kỳ, ${o.origin === 'upload' ? 'số liệu do quản trị viên nhập' : 'số liệu ước tính trong gói dữ liệu thành phố'})`;
