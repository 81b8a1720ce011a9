import { useRef } from 'react';
import uPlot from 'uplot';
import { useUplot } from '../chart/use-uplot.ts';
import { timeAxisOptions } from '../chart/time-axis.ts';
import { timeZone } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';
import type { ForecastChartData } from './forecast-chart-data.ts';

/**
 * The projection with its 80% band (uPlot `bands` fill between the high and low series), the
 * capacity as a dashed line and, when the projection fills within the horizon, a vertical
 * "time to full" line drawn on the canvas after the series.
 */
export function ForecastChart({ data, labels, format, height = 170 }: { data: ForecastChartData; labels: { value: string; low: string; high: string; capacity: string; full: string }; format: (v: number) => string; height?: number }) {
  const fullAt = useRef<number | null>(data.fullAt);
  fullAt.current = data.fullAt;
  const aligned = [data.times, data.high, data.low, data.value, data.capacity] as uPlot.AlignedData;
  const { lang, t } = useLang();
  const time = timeAxisOptions(lang, t('chart.time'));
  const shape = lang + Object.values(labels).join('|');

  const fmt = (_u: uPlot, v: number | null) => (v === null ? '—' : format(v));
  const options = (width: number): uPlot.Options => ({
    width,
    height,
    scales: { x: time.scale },
    // hours on Vũng Tàu's clock whatever the viewer's zone, like every other time on the wall
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
    axes: [
      time.axis,
      { stroke: '#c8d0e0', grid: { stroke: '#2a3142' }, values: (_u, vals) => vals.map((v) => format(v)), size: 60 },
    ],
    series: [
      time.series,
      { label: labels.high, stroke: 'rgba(79,195,247,0.35)', width: 1, value: fmt },
      { label: labels.low, stroke: 'rgba(79,195,247,0.35)', width: 1, value: fmt },
      { label: labels.value, stroke: '#4fc3f7', width: 2, value: fmt },
      { label: labels.capacity, stroke: '#ff9f43', width: 2, dash: [8, 6], value: fmt },
    ],
    bands: [{ series: [1, 2], fill: 'rgba(79,195,247,0.18)' }],
    hooks: {
      draw: [
        (u) => {
          const at = fullAt.current;
          if (at === null) return;
          const x = u.valToPos(at, 'x', true);
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = '#e57373';
          ctx.lineWidth = 2 * devicePixelRatio;
          ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.fillStyle = '#e57373';
          ctx.font = `${12 * devicePixelRatio}px 'Be Vietnam Pro', sans-serif`;
          ctx.fillText(labels.full, x + 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
          ctx.restore();
        },
      ],
    },
  });
  const box = useUplot(options, aligned, height, shape);
  return <div ref={box} className="chart" data-testid="forecast-chart" data-full-at={data.fullAt ?? ''} />;
}
