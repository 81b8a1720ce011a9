/**
 * What a worker's memory is made of while it runs: its /metrics (prom-client's default process
 * and Node figures, `haidang_` prefix) read every 500 ms, and the sample with the highest RSS
 * kept: resident, V8 heap (total, used, and the young generation's share), and memory outside
 * the heap (Buffers: fetched batches, insert bodies). The remainder (RSS − heap total −
 * external) is the code, the native allocator's arenas and the threads' stacks.
 */
export interface MemoryAtPeak {
  rssMiB: number;
  heapTotalMiB: number;
  heapUsedMiB: number;
  youngGenMiB: number;
  externalMiB: number;
  otherMiB: number;
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

function figuresOf(text: string): MemoryAtPeak | undefined {
  const one = (name: string, labels = '') => {
    const m = text.match(new RegExp(`^haidang_${name}${labels ? `\\{[^}]*${labels}[^}]*\\}` : '(?:\\{[^}]*\\})?'} ([0-9.e+]+)`, 'm'));
    return m ? Number(m[1]) : undefined;
  };
  const rss = one('process_resident_memory_bytes');
  const heapTotal = one('nodejs_heap_size_total_bytes');
  const heapUsed = one('nodejs_heap_size_used_bytes');
  const external = one('nodejs_external_memory_bytes');
  const young = one('nodejs_heap_space_size_total_bytes', 'space="new"');
  if (rss === undefined || heapTotal === undefined || heapUsed === undefined || external === undefined) return undefined;
  return { rssMiB: mib(rss), heapTotalMiB: mib(heapTotal), heapUsedMiB: mib(heapUsed), youngGenMiB: mib(young ?? 0), externalMiB: mib(external), otherMiB: mib(rss - heapTotal - external) };
}

/** samples the worker whose log names its ops URL (`"opsUrl":"http://…"`) until `stop()` */
export function sampleMemory(log: () => string): { stop(): MemoryAtPeak | undefined } {
  let peak: MemoryAtPeak | undefined;
  const timer = setInterval(async () => {
    const url = log().match(/"opsUrl":"([^"]+)"/)?.[1];
    if (!url) return;
    try {
      const f = figuresOf(await (await fetch(`${url}/metrics`)).text());
      if (f && (!peak || f.rssMiB > peak.rssMiB)) peak = f;
    } catch {
      // between runs, or the worker stopping: the next sample or none
    }
  }, 500);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
