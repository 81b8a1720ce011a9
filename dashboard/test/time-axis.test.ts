import { describe, expect, it } from 'vitest';
import type uPlot from 'uplot';
import { timeAxisOptions } from '../src/chart/time-axis.ts';

const ts = (iso: string) => Date.parse(iso) / 1000;
const values = (lang: 'vi' | 'en', splits: number[]) => (timeAxisOptions(lang, 'x').axis.values as (u: uPlot, s: number[]) => string[])({} as uPlot, splits);

describe('chart time axes in the wall’s language and clock', () => {
  it('hours are 24-hour on Vũng Tàu time, never 6am/12pm', () => {
    expect(values('vi', [ts('2026-12-06T00:00:00Z'), ts('2026-12-06T06:00:00Z')])).toEqual(['07:00', '13:00']);
    expect(values('en', [ts('2026-12-06T00:00:00Z'), ts('2026-12-06T06:00:00Z')])).toEqual(['07:00', '13:00']);
  });
  it('days are day-first, never 12/2/26', () => {
    expect(values('vi', [ts('2026-12-02T05:00:00Z'), ts('2026-12-05T05:00:00Z')])).toEqual(['02/12', '05/12']);
  });
  it('one point gets an hour either side, not a range of years', () => {
    const range = timeAxisOptions('vi', 'x').scale.range as (u: uPlot, min: number, max: number) => [number, number];
    const t = ts('2026-12-06T00:00:00Z');
    expect(range({} as uPlot, t, t)).toEqual([t - 3600, t + 3600]);
  });
  it('the legend names the time in the language and writes it dd/mm/yyyy 24 h', () => {
    const s = timeAxisOptions('vi', 'Thời điểm').series;
    expect(s.label).toBe('Thời điểm');
    expect((s.value as (u: uPlot, v: number) => string)({} as uPlot, ts('2026-12-06T11:30:00Z'))).toBe('18:30 06/12/2026');
  });
});
