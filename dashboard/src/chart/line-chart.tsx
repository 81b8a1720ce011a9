import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

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
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('|') + (target === null ? '' : '|target');
  const data = [times, ...series.map((s) => s.values), ...(target === null ? [] : [times.map(() => target)])] as uPlot.AlignedData;

  useEffect(() => {
    if (!box.current) return;
    const opts: uPlot.Options = {
      width: box.current.clientWidth || 400,
      height,
      title,
      scales: { x: { time: true } },
      axes: [
        { stroke: '#c8d0e0', grid: { stroke: '#2a3142' } },
        { stroke: '#c8d0e0', grid: { stroke: '#2a3142' }, values: (_u, vals) => vals.map((v) => format(v)), size: 70 },
      ],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)) })), ...(target === null ? [] : [{ label: targetLabel, stroke: '#ff9f43', width: 2, dash: [8, 6], value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)) }])],
    };
    plot.current = new uPlot(opts, data, box.current);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: box.current?.clientWidth || 400, height }));
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height, title, targetLabel]);

  useEffect(() => {
    plot.current?.setData(data);
  });
  return <div ref={box} className="chart" />;
}
