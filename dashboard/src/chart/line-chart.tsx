import type uPlot from 'uplot';
import { useLang } from '../shell/use-lang.ts';
import { timeAxisOptions } from './time-axis.ts';
import { useUplot } from './use-uplot.ts';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  colour: string;
}

/**
 * A time-series chart with uPlot (canvas, ~50 kB, fast with thousands of points on a
 * SwiftShader wall) and a dashed target line. The chart is created once per shape and fed
 * new data with setData, so a refresh does not rebuild it.
 */
export function LineChart({ times, series, target, targetLabel, format, height = 180, title }: { times: number[]; series: ChartSeries[]; target: number | null; targetLabel: string; format: (v: number) => string; height?: number; title: string }) {
  const { lang, t } = useLang();
  const time = timeAxisOptions(lang, t('chart.time'));
  const shape = lang + series.map((s) => s.label).join('|') + (target === null ? '' : '|target');
  const data = [times, ...series.map((s) => s.values), ...(target === null ? [] : [times.map(() => target)])] as uPlot.AlignedData;

  const options = (width: number): uPlot.Options => ({
    width,
    height,
    title,
    scales: { x: time.scale },
    axes: [
      time.axis,
      { stroke: '#c8d0e0', grid: { stroke: '#2a3142' }, values: (_u, vals) => vals.map((v) => format(v)), size: 70 },
    ],
    series: [time.series, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)) })), ...(target === null ? [] : [{ label: targetLabel, stroke: '#ff9f43', width: 2, dash: [8, 6], value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)) }])],
  });
  const box = useUplot(options, data, height, `${shape}|${title}|${targetLabel}`);
  return <div ref={box} className="chart" />;
}
