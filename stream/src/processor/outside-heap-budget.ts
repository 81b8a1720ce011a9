import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Keeps a worker's memory outside V8's heap — fetched Kafka batches and insert bodies, Buffers
 * that are garbage a moment after their batch is stored — within `mib` of what it needs. V8
 * frees such a Buffer only when it collects the object that holds it, and a batch lives across
 * its insert long enough to reach the old generation, which V8 collects once 64 MiB more is held
 * outside the heap than after its last full collection (or its old generation fills). Between those, a
 * worker carried 60–110 MiB of used batches (docs/benchmarks.md, "What a worker's memory is
 * made of"). Checked every `everyMs`: once `mib` more is held outside the heap than right after
 * the last collection, one full collection at once. Counting from what the last one left (the
 * batches still in use) keeps a worker whose live Buffers exceed `mib` (large fetches) from
 * collecting on every check.
 * V8's `gc()` is reached through the documented flag (`--expose-gc`), set here rather than on
 * every command line that starts a worker. `afterCollect` runs after each (glibc's trim: what
 * the collection freed goes back to the system).
 */
export function collectOutsideHeapEvery(mib: number, everyMs = 200, afterCollect?: () => void): { stop(): void } {
  const gc = garbageCollector();
  const collect = () => {
    gc();
    afterCollect?.();
  };
  const budget = mib * 1024 * 1024;
  let after = outsideHeap();
  const timer = setInterval(() => {
    const now = outsideHeap();
    after = Math.min(after, now); // V8 collected on its own meanwhile
    if (now - after <= budget) return;
    collect();
    after = outsideHeap();
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

const outsideHeap = () => (getHeapStatistics() as ReturnType<typeof getHeapStatistics> & { external_memory: number }).external_memory;

function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
