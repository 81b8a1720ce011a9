import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A uPlot chart in the returned box: created once per `shape` (whatever changes its series or
 * labels), fed new data with setData on every render so a refresh does not rebuild it, resized
 * with its box and destroyed on unmount.
 */
export function useUplot(options: (width: number) => uPlot.Options, data: uPlot.AlignedData, height: number, shape: string) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: built once per `shape` and height; `options` and `data` are new every render and new data goes in through setData below
  useEffect(() => {
    if (!box.current) return;
    plot.current = new uPlot(options(box.current.clientWidth || 400), data, box.current);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: box.current?.clientWidth || 400, height }));
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, height]);
  useEffect(() => {
    plot.current?.setData(data);
  });
  return box;
}
