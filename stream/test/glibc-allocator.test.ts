import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { tuneGlibcAllocator } from '../src/processor/glibc-allocator.ts';

const glibc = Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime);
const fixture = fileURLToPath(new URL('./fixtures/freed-batches.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function freedBatches(mode: 'tuned' | 'plain'): Promise<{ before: number; held: number; after: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', fixture, mode], { cwd: repoRoot });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

it.runIf(glibc)('a worker hands freed batches back to the system: glibc keeps 96 MiB of them without the tuning, not with it', async () => {
  const [plain, tuned] = await Promise.all([freedBatches('plain'), freedBatches('tuned')]);
  // both really held the batches
  for (const r of [plain, tuned]) expect(r.held - r.before).toBeGreaterThan(80);
  // glibc keeps what was freed between the small objects that stay
  expect(plain.after - plain.before).toBeGreaterThan(80);
  // tuned, it goes back
  expect(tuned.after - tuned.before).toBeLessThan(16);
});

it('leaves glibc alone where the operator tuned it through the environment', async () => {
  for (const v of ['MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_', 'GLIBC_TUNABLES']) {
    expect(await tuneGlibcAllocator({ [v]: '131072' })).toEqual({ skipped: 'tuned through the environment' });
  }
});
