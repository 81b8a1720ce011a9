import { type PerformanceEntry, PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { collectOutsideHeapEvery } from '../src/processor/outside-heap-budget.ts';

const mib = 1024 * 1024;
const outsideHeap = () => (getHeapStatistics() as ReturnType<typeof getHeapStatistics> & { external_memory: number }).external_memory;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let stops: Array<() => void> = [];
afterEach(() => {
  for (const s of stops) s();
  stops = [];
});

/** full collections seen while `fn` runs */
async function majorCollections(fn: () => Promise<void>): Promise<number> {
  let n = 0;
  const seen = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) n++;
  });
  seen.observe({ entryTypes: ['gc'] });
  try {
    await fn();
    await sleep(50);
  } finally {
    seen.disconnect();
  }
  return n;
}

/** objects made and dropped at once, as decoding a batch makes them: young collections run meanwhile */
function churn(): unknown {
  let last: unknown;
  for (let i = 0; i < 2_000_000; i++) last = { i, line: [i] };
  return last;
}

/**
 * Used batches: Buffers held while young collections run (as a batch is across its insert), so
 * they reach the old generation, then dropped. Only a full collection frees them.
 */
function usedBatches(total: number): void {
  let held: Buffer[] | undefined = Array.from({ length: total }, () => Buffer.alloc(mib, 1));
  for (let i = 0; i < 3; i++) churn();
  expect(held.length).toBe(total);
  held = undefined;
}

it('collects once the used Buffers outside the heap pass the budget, so a worker does not carry V8\'s 64 MiB of them', async () => {
  const before = outsideHeap();
  const budget = collectOutsideHeapEvery(16, 20);
  stops.push(budget.stop);
  const collections = await majorCollections(async () => {
    usedBatches(40); // under V8's own 64 MiB trigger
    await sleep(300);
  });
  expect(collections).toBeGreaterThanOrEqual(1);
  // the collection frees the Buffers on V8's sweeper threads, and the count follows once the process runs on
  for (let i = 0; i < 50 && outsideHeap() - before >= 16 * mib; i++) {
    churn();
    await sleep(20);
  }
  expect(outsideHeap() - before).toBeLessThan(16 * mib);
});

it('counts from what the last collection left: Buffers in use beyond the budget do not make it collect on every check', async () => {
  const budget = collectOutsideHeapEvery(8, 20);
  stops.push(budget.stop);
  const live = Array.from({ length: 24 }, () => Buffer.alloc(mib, 2)); // large fetches in use, above the budget
  const collections = await majorCollections(async () => {
    await sleep(1_000);
  });
  expect(collections).toBeLessThanOrEqual(2);
  expect(live.length).toBe(24);
});

it('HAIDANG_STREAM_BUFFERS_MIB is 32 unless set, 0 turns the budget off, and anything outside 0–4096 is refused by name', () => {
  expect(loadConfig({}).HAIDANG_STREAM_BUFFERS_MIB).toBe(32);
  expect(loadConfig({ HAIDANG_STREAM_BUFFERS_MIB: '0' }).HAIDANG_STREAM_BUFFERS_MIB).toBe(0);
  for (const bad of ['-1', '4097', '1.5', 'lots']) expect(() => loadConfig({ HAIDANG_STREAM_BUFFERS_MIB: bad })).toThrow(/HAIDANG_STREAM_BUFFERS_MIB/);
});
