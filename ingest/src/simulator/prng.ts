/**
 * Seeded randomness for the simulator: same seed, same city. mulberry32 is small and fast and
 * good enough for simulation (not for secrets). Each entity draws from its own stream, forked
 * by name, so adding a market to a pack does not change every other market's prices.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform in [min, max) */
  range(min: number, max: number): number;
  /** standard normal, Box–Muller */
  normal(): number;
  chance(p: number): boolean;
  /** Poisson count with mean `mean` */
  poisson(mean: number): number;
  /** successes in `n` trials of probability `p` */
  binomial(n: number, p: number): number;
  /** 16 random bytes, for UUIDs */
  bytes16(): Uint8Array;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of the label mixed with the seed: a well-spread 32-bit seed per (seed, label) */
function forkSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function createRng(seed: number, label = ''): Rng {
  const next = mulberry32(forkSeed(seed, label));
  const rng: Rng = {
    next,
    range: (min, max) => min + (max - min) * next(),
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    chance: (p) => next() < p,
    poisson: (mean) => {
      if (mean <= 0) return 0;
      // Knuth's method is exact but O(mean); above 30 the normal approximation is close enough
      if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
      const limit = Math.exp(-mean);
      let k = 0;
      for (let p = next(); p > limit; p *= next()) k++;
      return k;
    },
    binomial: (n, p) => {
      if (n > 60) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * rng.normal())));
      let k = 0;
      for (let i = 0; i < n; i++) if (next() < p) k++;
      return k;
    },
    bytes16: () => Uint8Array.from({ length: 16 }, () => Math.floor(next() * 256)),
  };
  return rng;
}
