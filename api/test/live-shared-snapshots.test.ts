import { describe, expect, it } from 'vitest';
import { sharedSnapshots } from '../src/live/shared-snapshots.ts';

/** a read that finishes when told, answering with its sequence number */
function reads() {
  const started: Array<{ n: number; finish: () => void; fail: (e: Error) => void }> = [];
  const read = (channel: string) =>
    new Promise<unknown>((resolve, reject) => {
      const n = started.length + 1;
      started.push({ n, finish: () => resolve(`${channel} read ${n}`), fail: reject });
    });
  return { started, read };
}

describe('shared snapshots', () => {
  it('answers the subscribers of a channel who ask during a read with one later read, never with a read that began before they asked', async () => {
    const { started, read } = reads();
    const snapshot = sharedSnapshots(read);
    const first = snapshot('capacity');
    expect(started).toHaveLength(1);
    // three screens subscribe while the first read runs: one more read, after it, for all three
    const waiting = [snapshot('capacity'), snapshot('capacity'), snapshot('capacity')];
    expect(started).toHaveLength(1);
    started[0]!.finish();
    expect(await first).toBe('capacity read 1');
    await new Promise((r) => setImmediate(r));
    expect(started).toHaveLength(2);
    started[1]!.finish();
    expect(await Promise.all(waiting)).toEqual(['capacity read 2', 'capacity read 2', 'capacity read 2']);
    // other channels are read on their own
    const prices = snapshot('prices');
    expect(started).toHaveLength(3);
    started[2]!.finish();
    expect(await prices).toBe('prices read 3');
  });

  it('gives a failed read’s error to its subscribers only; the next subscriber gets a fresh read', async () => {
    const { started, read } = reads();
    const snapshot = sharedSnapshots(read);
    const failing = snapshot('capacity');
    const queued = snapshot('capacity');
    started[0]!.fail(new Error('store unreachable'));
    await expect(failing).rejects.toThrow('store unreachable');
    await new Promise((r) => setImmediate(r));
    started[1]!.finish();
    expect(await queued).toBe('capacity read 2');
    const later = snapshot('capacity');
    started[2]!.finish();
    expect(await later).toBe('capacity read 3');
  });
});
