import { describe, expect, it } from 'vitest';
import { MemoryTransport, type LogPositions } from '../src/transport/memory.ts';
import type { LogBatch } from '../src/transport/transport.ts';

const msgs = (n: number, key = (i: number) => `k${i % 3}`) => Array.from({ length: n }, (_, i) => ({ key: key(i), value: String(i) }));

describe('memory transport (the embedded log)', () => {
  it('keeps per-key order and delivers everything to a group', async () => {
    const t = new MemoryTransport({ lingerMs: 0 });
    await t.ensureTopics(['a'], 4);
    const seen = new Map<string, number[]>();
    const sub = await t.consume({
      groupId: 'g',
      topics: ['a'],
      handler: async (b) => {
        for (const m of b.messages) seen.set(m.key!, [...(seen.get(m.key!) ?? []), Number(m.value!.toString())]);
      },
    });
    await t.publish('a', msgs(300));
    await expect.poll(() => [...seen.values()].reduce((a, v) => a + v.length, 0)).toBe(300);
    for (const values of seen.values()) expect(values).toEqual([...values].sort((x, y) => x - y));
    await sub.stop();
    await t.close();
  });

  it('hands every partition with messages over side by side, as Kafka hands a fetch; a failed partition is redelivered without holding back the others', async () => {
    const t = new MemoryTransport({ lingerMs: 0 });
    await t.ensureTopics(['a'], 4);
    let inFlight = 0;
    let most = 0;
    let failOnce = true;
    const stored = new Map<number, number>();
    const sub = await t.consume({
      groupId: 'g',
      topics: ['a'],
      handler: async (b) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        if (b.partition === 2 && failOnce) {
          failOnce = false;
          throw new Error('store down for a moment');
        }
        stored.set(b.partition, (stored.get(b.partition) ?? 0) + b.messages.length);
      },
    });
    await t.publish('a', msgs(400, (i) => `key-${i}`));
    await expect.poll(() => [...stored.values()].reduce((a, n) => a + n, 0)).toBe(400);
    expect(most).toBe(4);
    expect(failOnce).toBe(false);
    await sub.stop();
    await t.close();
  });

  it('publish resolves only once the durable group has committed the events', async () => {
    const t = new MemoryTransport({ durableGroups: ['store'], lingerMs: 0 });
    await t.ensureTopics(['a'], 2);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let stored = 0;
    const sub = await t.consume({ groupId: 'store', topics: ['a'], handler: async (b) => { await gate; stored += b.messages.length; } });
    let resolved = false;
    const p = t.publish('a', msgs(10)).then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(resolved).toBe(false);
    release();
    await p;
    expect(stored).toBe(10);
    await sub.stop();
    await t.close();
  });

  it('a failed handler commits nothing and the batch is redelivered', async () => {
    const t = new MemoryTransport({ lingerMs: 0 });
    await t.ensureTopics(['a'], 1);
    let calls = 0;
    const delivered: string[] = [];
    const sub = await t.consume({
      groupId: 'g',
      topics: ['a'],
      handler: async (b: LogBatch) => {
        calls++;
        if (calls === 1) throw new Error('store down');
        delivered.push(...b.messages.map((m) => m.offset));
      },
    });
    await t.publish('a', msgs(5));
    await expect.poll(() => delivered.length, { timeout: 5_000 }).toBe(5);
    expect(delivered).toEqual(['0', '1', '2', '3', '4']);
    expect((await t.lag('g', ['a']))[0]!.lag).toBe(0);
    await sub.stop();
    await t.close();
  });

  it('members of one group share the partitions; a member that leaves hands them over', async () => {
    const t = new MemoryTransport({ lingerMs: 0 });
    await t.ensureTopics(['a'], 4);
    const byMember = [new Set<number>(), new Set<number>()];
    const subs = await Promise.all(byMember.map((set) => t.consume({ groupId: 'g', topics: ['a'], handler: async (b) => void set.add(b.partition) })));
    await t.publish('a', msgs(100, (i) => `key-${i}`));
    await expect.poll(async () => (await t.lag('g', ['a'])).reduce((a, l) => a + l.lag, 0)).toBe(0);
    expect([...byMember[0]!].filter((p) => byMember[1]!.has(p))).toEqual([]);
    expect(byMember[0]!.size + byMember[1]!.size).toBe(4);
    await subs[0]!.stop();
    byMember[1]!.clear();
    await t.publish('a', msgs(100, (i) => `key-${i}`));
    await expect.poll(() => byMember[1]!.size).toBe(4);
    await subs[1]!.stop();
    await t.close();
  });

  it('with positions, offsets continue after a restart instead of beginning at 0 again', async () => {
    const kept = new Map<string, number>();
    const positions: LogPositions = {
      load: async (topics) => [...kept].map(([k, reserved]) => ({ topic: k.split('/')[0]!, partition: Number(k.split('/')[1]), reserved })).filter((r) => topics.includes(r.topic)),
      reserve: async (topic, partition, upTo) => void kept.set(`${topic}/${partition}`, Math.max(kept.get(`${topic}/${partition}`) ?? 0, upTo)),
    };
    const run = async () => {
      const t = new MemoryTransport({ durableGroups: ['g'], lingerMs: 0, positions, reserveBlock: 10 });
      await t.ensureTopics(['a'], 1);
      const offsets: string[] = [];
      const sub = await t.consume({ groupId: 'g', topics: ['a'], handler: async (b) => void offsets.push(...b.messages.map((m) => m.offset)) });
      // a restarted log has no committed offset for the group, and no lag to report
      expect((await t.lag('g', ['a']))[0]!.lag).toBe(0);
      await t.publish('a', msgs(25, () => 'k'));
      await sub.stop();
      await t.close();
      return offsets.map(Number);
    };
    const first = await run();
    const second = await run();
    expect(first).toEqual(Array.from({ length: 25 }, (_, i) => i));
    // every offset of the second run lies above everything the first could have handed out
    expect(Math.min(...second)).toBeGreaterThanOrEqual(Math.max(...first) + 1);
    expect(new Set([...first, ...second]).size).toBe(50);
  });
});
