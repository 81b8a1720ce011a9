import { describe, expect, it } from 'vitest';
import type { MeasureForecast } from '../src/api/foresight-schemas.ts';
import { forecastChartData } from '../src/forecast/forecast-chart-data.ts';

const base = (over: Partial<MeasureForecast> = {}): MeasureForecast => ({
  capacity: 100,
  current: 80,
  points: [
    { t: '2026-01-01T02:00:00.000Z', value: 90, low: 85, high: 95 },
    { t: '2026-01-01T01:00:00.000Z', value: 85, low: 86, high: 88 },
    { t: '2026-01-01T03:00:00.000Z', value: 100, low: 92, high: 100 },
  ],
  timeToFull: { hours: 3, at: '2026-01-01T03:00:00.000Z', earliestHours: 2, text: { vi: 'Đầy sau khoảng 3 giờ', en: 'full in about 3 h' } },
  method: { vi: 'v', en: 'e' },
  ...over,
});

describe('forecast chart columns', () => {
  it('orders the hours, keeps the band around the projection and draws capacity on every hour', () => {
    const d = forecastChartData(base());
    expect(d.times).toEqual([1767229200, 1767232800, 1767236400]);
    expect(d.value).toEqual([85, 90, 100]);
    expect(d.low).toEqual([85, 85, 92]);
    expect(d.high).toEqual([88, 95, 100]);
    expect(d.capacity).toEqual([100, 100, 100]);
    expect(d.fullAt).toBe(1767236400);
  });

  it('has no time-to-full marker when the projection does not fill within the horizon', () => {
    const d = forecastChartData(base({ timeToFull: { hours: null, at: null, earliestHours: null, text: { vi: 'Không đầy trong 72 giờ tới', en: 'not within 72 h' } } }));
    expect(d.fullAt).toBeNull();
  });
});
