import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { checkReadiness } from '../src/observability/readiness.ts';
import { LiveTail, type LiveStatus } from '../src/processor/live-tail.ts';
import { TopicNames } from '../src/processor/topic-names.ts';
import type { ConsumeOptions, Subscription, Transport } from '../src/transport/transport.ts';

/**
 * A log whose consumer can be made to fail: crash (what kafkajs reports and our transport
 * restarts), or die for good (the subscription rejects, as after repeated crashes).
 */
function flakyLog() {
  const started: Array<{ options: ConsumeOptions; die: (e: Error) => void }> = [];
  let refuse = 0;
  const transport: Transport = {
    kind: 'kafka',
    ensureTopics: async () => {},
    publish: async () => {},
    lag: async () => [],
    close: async () => {},
    consume: async (options): Promise<Subscription> => {
      if (refuse > 0) {
        refuse--;
        throw new Error('broker unreachable');
      }
      let die!: (e: Error) => void;
      const done = new Promise<void>((_, reject) => (die = reject));
      started.push({ options, die });
      return { done, stop: async () => {} };
    },
  };
  return { transport, started, refuseNext: (n: number) => (refuse = n) };
}

const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 5));
};

describe("the api's live tail", () => {
  it('degrades when its consumer dies, says so, starts itself again and is live once more', async () => {
    const log = flakyLog();
    const tail = new LiveTail({ transport: log.transport, topics: new TopicNames(), logger: pino({ level: 'silent' }), restartDelayMs: 1 });
    const told: LiveStatus[] = [];
    tail.onStatus((s) => told.push(s));
    await tail.start();
    expect(tail.status.live).toBe(true);
    expect(await checkReadiness({ liveTail: tail.readiness() })).toEqual({ ready: true, checks: { liveTail: { ok: true } } });

    // a crash kafkajs reports: delayed until the transport has the consumer back
    log.started[0]!.options.onHealth!({ ok: false, error: new Error('ZSTD compression not implemented'), attempt: 1 });
    expect(tail.status).toMatchObject({ live: false, reason: expect.stringContaining('ZSTD compression not implemented') });
    const r = await checkReadiness({ liveTail: tail.readiness() });
    expect(r.ready).toBe(true); // the api still answers from the store
    expect(r.degraded).toEqual(['liveTail']);
    expect(r.checks.liveTail!.degraded).toMatch(/^live updates delayed since .*ZSTD/);
    log.started[0]!.options.onHealth!({ ok: true });
    expect(tail.status.live).toBe(true);

    // the subscription dies for good (and the broker refuses the first new attempts): no throw, a restart
    log.refuseNext(2);
    log.started[0]!.die(new Error('consumer keeps crashing'));
    await until(() => log.started.length === 2);
    expect(tail.status.live).toBe(true);
    // told once per change of state or reason: crashed, back, died, the broker refused (twice, told once), back
    expect(told.map((s) => (s.live ? 'live' : s.reason))).toEqual([expect.stringContaining('ZSTD'), 'live', 'consumer keeps crashing', 'broker unreachable', 'live']);
    await tail.stop();
  });

  it('stays stopped once stopped', async () => {
    const log = flakyLog();
    const tail = new LiveTail({ transport: log.transport, topics: new TopicNames(), logger: pino({ level: 'silent' }), restartDelayMs: 1 });
    await tail.start();
    await tail.stop();
    log.started[0]!.die(new Error('after stop'));
    await new Promise((r) => setTimeout(r, 30));
    expect(log.started.length).toBe(1);
  });
});
