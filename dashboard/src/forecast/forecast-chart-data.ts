import type { MeasureForecast } from '../api/foresight-schemas.ts';

export interface ForecastChartData {
  /** seconds since the epoch (uPlot's time unit) */
  times: number[];
  value: number[];
  low: number[];
  high: number[];
  /** the capacity, repeated on every hour: the level "full" means */
  capacity: number[];
  /** when the projection reaches capacity within the horizon, in seconds; null when it does not */
  fullAt: number | null;
}

/**
 * The aligned columns a forecast chart draws: the projection, its 80% band (low ≤ value ≤ high
 * even if rounding on the server crossed them) and the capacity line; the time-to-full marker
 * only when it falls on the drawn hours.
 */
export function forecastChartData(m: MeasureForecast): ForecastChartData {
  const points = [...m.points].sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
  const times = points.map((p) => Date.parse(p.t) / 1000);
  const fullAt = m.timeToFull.at === null ? null : Date.parse(m.timeToFull.at) / 1000;
  const inRange = fullAt !== null && times.length > 0 && fullAt >= times[0]! - 3600 && fullAt <= times[times.length - 1]!;
  return {
    times,
    value: points.map((p) => p.value),
    low: points.map((p) => Math.min(p.low, p.value)),
    high: points.map((p) => Math.max(p.high, p.value)),
    capacity: points.map(() => m.capacity),
    fullAt: inRange ? fullAt : null,
  };
}
