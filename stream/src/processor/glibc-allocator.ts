/**
 * glibc's allocator, asked to give a worker's freed Buffers back to the system. A Buffer's bytes
 * come from `malloc`. glibc maps a large block on its own only while it is larger than a
 * threshold that rises to the size of every such block freed (up to 32 MiB), so once a worker
 * has freed one 8 MiB fetch, every later batch, insert body and fetch below that lands in the
 * main heap. Freed there, beside blocks still in use, it stays in the process. Fixing the
 * thresholds at start, as the `MALLOC_MMAP_THRESHOLD_` and `MALLOC_TRIM_THRESHOLD_` variables
 * would have to before the process starts, and trimming after each collection the memory budget
 * starts, took a worker's memory that is neither heap nor live Buffers from 80–149 to 51–63 MiB
 * at its peak, at the same CPU an event (docs/benchmarks.md, 2026-12-07 night).
 *
 * Reached through koffi (a maintained FFI with prebuilt binaries on the npm registry): Node has
 * no binding for `mallopt` or `malloc_trim`. Where the C library is not glibc (musl, macOS),
 * where koffi has no binary, or where the operator tuned glibc's allocator through the
 * environment, nothing is changed.
 */
export interface GlibcAllocator {
  /** the thresholds set (bytes) */
  readonly mmapThreshold: number;
  readonly trimThreshold: number;
  /** hands every free page of glibc's heaps back to the system (`malloc_trim(0)`) */
  trim(): void;
}

/** blocks from 128 KiB up (glibc's own starting threshold) are mapped alone and unmapped when freed */
const mmapThreshold = 128 * 1024;
/** the top of the heap is given back once 1 MiB of it is free */
const trimThreshold = 1024 * 1024;
// glibc's malloc.h
const M_TRIM_THRESHOLD = -1;
const M_MMAP_THRESHOLD = -3;
const tunedByOperator = ['MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_', 'MALLOC_TOP_PAD_', 'GLIBC_TUNABLES'];

export async function tuneGlibcAllocator(env: NodeJS.ProcessEnv = process.env): Promise<GlibcAllocator | { skipped: string }> {
  if (tunedByOperator.some((v) => env[v] !== undefined)) return { skipped: 'tuned through the environment' };
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  if (!header?.glibcVersionRuntime) return { skipped: 'the C library is not glibc' };
  let libc: import('koffi').LibraryHandle;
  try {
    const { default: koffi } = await import('koffi');
    libc = koffi.load('libc.so.6');
  } catch (e) {
    return { skipped: `koffi could not load glibc (${e instanceof Error ? e.message : e})` };
  }
  const mallopt = libc.func('int mallopt(int param, int value)') as (param: number, value: number) => number;
  const mallocTrim = libc.func('int malloc_trim(size_t pad)') as (pad: number) => number;
  if (mallopt(M_MMAP_THRESHOLD, mmapThreshold) !== 1 || mallopt(M_TRIM_THRESHOLD, trimThreshold) !== 1) return { skipped: 'glibc refused the thresholds' };
  return { mmapThreshold, trimThreshold, trim: () => void mallocTrim(0) };
}
