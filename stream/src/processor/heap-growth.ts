import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a worker's old generation grow past what its last full collection kept before
 * it collects again. Left to itself V8 picks 1.1–4× from its collection speed, and a worker's
 * old generation is mostly garbage: the objects of batches that lived across their insert. At
 * 50 % a worker peaked at 167–211 MiB against 185–244 by V8's own choice, for about 0.7 µs
 * more CPU an event (docs/benchmarks.md, 2026-12-07 night). V8 reads the flag at each
 * collection, so it is set here, at start, rather than on every command line that starts a
 * worker; one given on the command line or in NODE_OPTIONS wins.
 */
export function limitOldGenerationGrowth(percent: number): 'set' | 'given' {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent\b/.test(a));
  if (given) return 'given';
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return 'set';
}
