import type { Transport } from '@haidang/stream';

/** Reads `topics` from the start until `count` messages arrived; returns them as key + parsed value. */
export async function consumeAll(transport: Transport, topics: string[], count: number, timeoutMs = 20_000): Promise<Array<{ topic: string; key: string | null; value: any }>> {
  const got: Array<{ topic: string; key: string | null; value: any }> = [];
  let resolveDone!: () => void;
  const enough = new Promise<void>((r) => (resolveDone = r));
  const sub = await transport.consume({
    groupId: `test-${Math.random().toString(36).slice(2)}`,
    topics,
    handler: async (batch) => {
      for (const m of batch.messages) got.push({ topic: m.topic, key: m.key, value: JSON.parse(m.value!.toString()) });
      if (got.length >= count) resolveDone();
    },
  });
  const timer = setTimeout(resolveDone, timeoutMs);
  await enough;
  clearTimeout(timer);
  await sub.stop();
  return got;
}
