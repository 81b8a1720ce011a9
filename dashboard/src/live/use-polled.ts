import { useEffect, useState } from 'react';

/**
 * A value read from the api now and every `everyMs` after (freshness, KPI lists), keeping the
 * last good value while a read fails so a blip does not blank the wall; `error` says why.
 */
export function usePolled<T>(load: (signal: AbortSignal) => Promise<T>, everyMs: number, deps: unknown[]): { data: T | undefined; error: string | undefined; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` is the caller's list of what `load` reads; `load` itself is a new closure every render
  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        setData(await load(ctrl.signal));
        setError(undefined);
      } catch (e) {
        if (!ctrl.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      }
      if (!ctrl.signal.aborted && everyMs > 0) timer = setTimeout(() => void run(), everyMs);
    };
    void run();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [...deps, tick, everyMs]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}
