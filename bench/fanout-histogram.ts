/**
 * Latencies of millions of deliveries in 1 ms buckets (0 … 120 s, the last bucket holds
 * anything slower): a client process sends its counts, the bench adds them up and reads
 * percentiles without keeping every sample.
 */
const buckets = 120_001;

export function histogram(counts: Uint32Array | number[] = new Uint32Array(buckets)) {
  const c = Uint32Array.from(counts);
  return {
    get counts(): number[] {
      return Array.from(c);
    },
    add(ms: number) {
      c[Math.max(0, Math.min(buckets - 1, Math.round(ms)))]!++;
    },
    merge(other: ArrayLike<number>) {
      for (let i = 0; i < buckets; i++) c[i]! += other[i] ?? 0;
    },
    get total(): number {
      let n = 0;
      for (const x of c) n += x;
      return n;
    },
    /** the smallest latency (ms) at or below which p % of the samples lie; NaN when empty */
    pct(p: number): number {
      const total = this.total;
      if (!total) return NaN;
      const want = Math.max(1, Math.ceil((p / 100) * total));
      let seen = 0;
      for (let i = 0; i < buckets; i++) if ((seen += c[i]!) >= want) return i;
      return buckets - 1;
    },
  };
}
