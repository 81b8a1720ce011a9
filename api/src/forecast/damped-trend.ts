import { linearRegression, quantileSorted } from 'simple-statistics';

/**
 * Occupancy forecast for one hourly series: start from the last value (occupancy is a stock:
 * the last count is the best level), add the slope of a least-squares line over the last
 * `window` hours, damped by `phi` per hour ahead so a wave that is filling does not get
 * projected to fill forever. (window, phi) is picked from a small grid by the mean absolute
 * error of forecasts this series would have had in its own past; the band is ± the size that
 * 80% of those past misses at each lead stayed within ("80% of past errors"). Every value is clamped
 * to [0, capacity].
 *
 * simple-statistics supplies the regression and quantiles: maintained, no dependencies, and
 * each function is the textbook formula, so the method stays explainable on one line.
 */
export interface TrendParams {
  window: number;
  phi: number;
}

const paramGrid: readonly TrendParams[] = [12, 24, 72].flatMap((window) => [0.9, 0.95, 0.98, 1].map((phi) => ({ window, phi })));
const defaultParams: TrendParams = { window: 24, phi: 0.95 };

/**
 * The band: ± the size that 80% of past misses at the same lead stayed within. Symmetric,
 * because in the backtest (bench/forecast-backtest.ts) the 10th–90th percentiles of signed
 * errors covered the truth far less often (68% → 51% at 24 → 72 h) than this (74% → 68%):
 * a wave's errors flip sign between filling and draining.
 */
const bandShare = 0.8;
/** fewest past errors at a lead for an empirical band; below it a normal band from 1-h errors */
const minErrorsForBand = 8;
const z90 = 1.2816;

interface ForecastPoint {
  /** hours after the last observed hour */
  h: number;
  value: number;
  low: number;
  high: number;
}

export interface SeriesForecast {
  params: TrendParams;
  /** true when the params were chosen on past errors, false when the history was too short */
  fitted: boolean;
  points: ForecastPoint[];
  /** hours until the point forecast reaches capacity: 0 = full now, null = not within the horizon */
  hoursToFull: number | null;
  /** the same for the top of the band: the earliest the series could plausibly fill */
  earliestHoursToFull: number | null;
  /** past forecast errors used for the band and the choice */
  errorSamples: number;
}

/** slope per hour of the least-squares line through y[end-window+1..end] (0 below 3 points) */
function slopeAt(y: readonly number[], end: number, window: number): number {
  const start = Math.max(0, end - window + 1);
  if (end - start < 2) return 0;
  const pts: Array<[number, number]> = [];
  for (let i = start; i <= end; i++) pts.push([i, y[i]!]);
  return linearRegression(pts).m;
}

/** Σ_{i=1..h} phi^i: how many hours of slope a lead of h hours adds */
function dampedSteps(phi: number, h: number): number {
  return phi === 1 ? h : (phi * (1 - phi ** h)) / (1 - phi);
}

/** unclamped point forecasts from origin index `o` for leads 1..horizon */
function rawForecast(y: readonly number[], o: number, p: TrendParams, horizon: number): number[] {
  const level = y[o]!;
  const slope = slopeAt(y, o, p.window);
  return Array.from({ length: horizon }, (_, k) => level + slope * dampedSteps(p.phi, k + 1));
}

/**
 * errors (actual − forecast) by lead, over every past origin with a full window behind it
 * (every hour: every 3rd would be 2.5× faster, but the backtest's error grew ~2% and the band
 * held the truth less often)
 */
function pastErrors(y: readonly number[], p: TrendParams, horizon: number, minOrigin: number): number[][] {
  const byLead: number[][] = Array.from({ length: horizon }, () => []);
  for (let o = minOrigin; o < y.length - 1; o++) {
    const f = rawForecast(y, o, p, Math.min(horizon, y.length - 1 - o));
    f.forEach((v, k) => byLead[k]!.push(y[o + k + 1]! - v));
  }
  return byLead;
}

const meanAbs = (byLead: number[][]) => {
  let sum = 0;
  let n = 0;
  for (const errs of byLead) for (const e of errs) (sum += Math.abs(e)), n++;
  return n ? sum / n : Number.POSITIVE_INFINITY;
};

/** the first (fractional) lead at which `values` (lead 1..) reach `capacity` from `start`, or null */
function crossing(start: number, values: readonly number[], capacity: number): number | null {
  if (start >= capacity) return 0;
  let prev = start;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v >= capacity) return k + (capacity - prev) / (v - prev);
    prev = v;
  }
  return null;
}

const clampTo = (v: number, capacity: number) => Math.min(capacity, Math.max(0, v));

export function forecastSeries(y: readonly number[], capacity: number, horizon: number): SeriesForecast {
  if (!y.length) throw new RangeError('forecastSeries needs at least one observed hour');
  const cap = Math.max(0, capacity);
  // origins are compared over the same range for every candidate: after the widest window
  const minOrigin = Math.max(...paramGrid.map((p) => p.window)) - 1;
  let best = { params: defaultParams, errors: pastErrors(y, defaultParams, horizon, minOrigin), fitted: false };
  if (y.length - 1 > minOrigin) {
    let bestScore = Number.POSITIVE_INFINITY;
    for (const params of paramGrid) {
      const errors = pastErrors(y, params, horizon, minOrigin);
      const score = meanAbs(errors);
      if (score < bestScore) (bestScore = score), (best = { params, errors, fitted: true });
    }
  } else {
    // too short to compare candidates: still take what past errors there are, from any origin
    best.errors = pastErrors(y, defaultParams, horizon, Math.min(2, y.length - 1));
  }

  const last = y[y.length - 1]!;
  const raw = rawForecast(y, y.length - 1, best.params, horizon);
  const sigma1 = oneStepSigma(y, best.errors[0]!);
  const points = raw.map((v, k) => {
    const misses = best.errors[k]!.map(Math.abs).sort((a, b) => a - b);
    const half = misses.length >= minErrorsForBand ? quantileSorted(misses, bandShare) : z90 * sigma1 * Math.sqrt(k + 1);
    const [lo, hi] = [-half, half];
    return { h: k + 1, value: clampTo(v, cap), low: clampTo(Math.min(v, v + lo), cap), high: clampTo(Math.max(v, v + hi), cap) };
  });
  return {
    params: best.params,
    fitted: best.fitted,
    points,
    hoursToFull: cap > 0 ? crossing(last, raw, cap) : null,
    earliestHoursToFull: cap > 0 ? crossing(last, points.map((p) => Math.min(p.high, cap)), cap) : null,
    errorSamples: best.errors.reduce((a, e) => a + e.length, 0),
  };
}

/** spread of 1-hour errors; with fewer than 3, of hour-to-hour changes */
function oneStepSigma(y: readonly number[], errors1: number[]): number {
  const xs = errors1.length >= 3 ? errors1 : y.slice(1).map((v, i) => v - y[i]!);
  if (xs.length < 2) return 0;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** the method on one line, as the dashboard shows it */
export function methodLine(p: TrendParams, fitted: boolean): { vi: string; en: string } {
  const damp = p.phi === 1 ? { vi: 'không giảm dần', en: 'undamped' } : { vi: `giảm dần ×${p.phi} mỗi giờ`, en: `damped ×${p.phi} per hour` };
  const how = fitted ? { vi: 'chọn theo sai số 14 ngày qua', en: 'chosen on the last 14 days’ errors' } : { vi: 'mặc định: lịch sử còn ngắn', en: 'default: history too short to choose' };
  return {
    vi: `Xu hướng ${p.window} giờ qua, ${damp.vi} (${how.vi}); dải = 80% sai số các dự báo trước`,
    en: `Trend of the last ${p.window} h, ${damp.en} (${how.en}); band = 80% of past errors`,
  };
}
