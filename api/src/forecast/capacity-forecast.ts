import type { ClickHouseClient } from '@clickhouse/client';
import { forecastSeries, methodLine, type SeriesForecast } from './damped-trend.ts';
import { hourlyCapacity, type ForecastScope, type HourlyCapacity } from './capacity-history.ts';

const hourMs = 3_600_000;

interface MeasureForecast {
  capacity: number;
  current: number;
  points: Array<{ t: string; value: number; low: number; high: number }>;
  timeToFull: {
    /** hours from `asOf` until the point forecast reaches capacity; null = not within the horizon */
    hours: number | null;
    at: string | null;
    /** the same for the top of the band */
    earliestHours: number | null;
    text: { vi: string; en: string };
  };
  method: { vi: string; en: string };
}

export interface CapacityForecast {
  scope: ForecastScope;
  /** the newest hour reported: the forecast starts after it */
  asOf: string;
  hours: number;
  facilities: number;
  historyHours: number;
  beds: MeasureForecast;
  oxygenBeds: MeasureForecast;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

function fullText(hours: number | null, horizon: number): { vi: string; en: string } {
  if (hours === null) return { vi: `Không đầy trong ${horizon} giờ tới`, en: `not within ${horizon} h` };
  if (hours === 0) return { vi: 'Đã đầy', en: 'full now' };
  const h = Math.max(1, Math.round(hours));
  return { vi: `Đầy sau khoảng ${h} giờ`, en: `full in about ${h} h` };
}

function measureForecast(history: { hours: number[]; occupied: number[]; total: number[] }, horizon: number): MeasureForecast {
  const lastIndex = history.hours.length - 1;
  const origin = history.hours[lastIndex]!;
  const capacity = history.total[lastIndex]!;
  const f: SeriesForecast = forecastSeries(history.occupied, capacity, horizon);
  const at = (h: number) => new Date(origin + h * hourMs).toISOString();
  return {
    capacity,
    current: history.occupied[lastIndex]!,
    points: f.points.map((p) => ({ t: at(p.h), value: round(p.value), low: round(p.low), high: round(p.high) })),
    timeToFull: {
      hours: f.hoursToFull === null ? null : round(f.hoursToFull, 1),
      at: f.hoursToFull === null ? null : at(f.hoursToFull),
      earliestHours: f.earliestHoursToFull === null ? null : round(f.earliestHoursToFull, 1),
      text: fullText(f.hoursToFull, horizon),
    },
    method: methodLine(f.params, f.fitted),
  };
}

function forecastFromHistory(scope: ForecastScope, h: HourlyCapacity, horizon: number): CapacityForecast {
  return {
    scope,
    asOf: new Date(h.hours[h.hours.length - 1]!).toISOString(),
    hours: horizon,
    facilities: h.facilities,
    historyHours: h.hours.length,
    beds: measureForecast({ hours: h.hours, ...h.beds }, horizon),
    oxygenBeds: measureForecast({ hours: h.hours, ...h.oxygenBeds }, horizon),
  };
}

/**
 * Forecasts on read, each kept for `ttlMs`: a dashboard polling every few seconds costs one
 * store query per scope per TTL, and a forecast is never older than the TTL plus an hour of
 * data (the model works on hours). Concurrent reads of one scope share one computation.
 */
export class CapacityForecaster {
  private readonly cache = new Map<string, { at: number; value: Promise<CapacityForecast | undefined> }>();
  private static readonly maxEntries = 500;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly ttlMs = 15_000,
  ) {}

  forecast(scope: ForecastScope, horizon: number): Promise<CapacityForecast | undefined> {
    const key = `${JSON.stringify(scope)}|${horizon}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.compute(scope, horizon);
    value.catch(() => this.cache.delete(key));
    if (this.cache.size >= CapacityForecaster.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  /** the same, never from the cache (the alert rule judges each new hour of data) */
  async compute(scope: ForecastScope, horizon: number): Promise<CapacityForecast | undefined> {
    const history = await hourlyCapacity(this.client, scope);
    return history && forecastFromHistory(scope, history, horizon);
  }
}
