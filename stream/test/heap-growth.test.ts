import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/promoted-batches.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function promotedBatches(mode: 'limited' | 'plain', nodeFlags: string[] = []): Promise<{ largestHeapMiB: number; limited?: string }> {
  // a worker's young generation (infra/run-distributed.sh)
  const { stdout } = await promisify(execFile)(process.execPath, ['--max-semi-space-size=8', ...nodeFlags, '--import', 'tsx', fixture, mode], { cwd: repoRoot });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

it("keeps a worker's heap near what it holds: promoted batches do not pile up in the old generation", async () => {
  const [plain, limited] = await Promise.all([promotedBatches('plain'), promotedBatches('limited')]);
  expect(limited.limited).toBe('set');
  // V8 by itself let the heap reach 125–166 MiB here; limited, 82
  expect(limited.largestHeapMiB).toBeLessThan(plain.largestHeapMiB * 0.8);
});

it('leaves the growth to a --heap-growing-percent given on the command line', async () => {
  expect((await promotedBatches('limited', ['--heap-growing-percent=20'])).limited).toBe('given');
});
