import { expect, it } from 'vitest';
import { RevocationList } from '../src/secrets/revocation-list.ts';

it('a read of the list begun before a revocation was written does not undo it', async () => {
  const stored = new Set<string>();
  // the store's list, answered when the test says so
  const reads: Array<() => void> = [];
  const list = new RevocationList(
    () =>
      new Promise<string[]>((resolve) => {
        const snapshot = [...stored];
        reads.push(() => resolve(snapshot));
      }),
    0,
  );
  // a check starts a read of the list as it is now (nothing revoked)
  const checking = list.isRevoked('other');
  // meanwhile this process signs a session out, and its row is written
  await list.revoke('session-1', async () => void stored.add('session-1'));
  // the read that began before the write answers without it
  reads.shift()!();
  expect(await checking).toBe(false);
  expect(list.has('session-1')).toBe(true);
  expect(await list.isRevoked('session-1')).toBe(true);
  // a read begun after the write has it; from then on the store's list answers for it
  await new Promise((r) => setTimeout(r, 2));
  const later = list.isRevoked('other');
  reads.shift()!();
  await later;
  expect(list.has('session-1')).toBe(true);
});

it('another instance\'s revocation counts once the list is read again', async () => {
  let stored: string[] = [];
  const list = new RevocationList(async () => stored, 0);
  expect(await list.isRevoked('key-1')).toBe(false);
  stored = ['key-1'];
  await new Promise((r) => setTimeout(r, 2));
  expect(await list.isRevoked('key-1')).toBe(true);
});
