import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import semver from 'semver';
import { expect, it } from 'vitest';

/**
 * `engines` is a promise to whoever installs Hải Đăng: every package the lock installs must run
 * on the oldest Node of each line the root package.json names (npm ci prints EBADENGINE when one
 * does not, and a package that says so may use an API that Node lacks).
 */
const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };
const range = pkg.engines.node;

/** the lowest version of every major line the range admits (20.19.4, 22.18.0, …) */
const floors = (semver.validRange(range) ?? '').split('||').map((part) => semver.minVersion(part.trim())!.version);

it('the root engines range is valid and names Node 20', () => {
  expect(semver.validRange(range)).not.toBeNull();
  expect(floors.some((v) => semver.major(v) === 20)).toBe(true);
});

it.each(floors)('every locked package supports Node %s', (node) => {
  const refused: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const wants = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
    if (!path || !wants) continue;
    if (!semver.satisfies(node, wants)) refused.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${wants}`);
  }
  expect(refused).toEqual([]);
});
