import { createServer } from 'node:net';

const canListen = (port: number) =>
  new Promise<boolean>((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });

/**
 * `count` consecutive loopback ports free now, below Linux's ephemeral range (32768–), where
 * only a deliberate listener takes a port: a bench's broker (and its controller, the next
 * port) and its store, so two benches, or a bench and the tests, do not collide.
 */
export async function freePorts(count: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * (32_768 - 20_000 - count));
    let all = true;
    for (let p = base; p < base + count && all; p++) all = await canListen(p);
    if (all) return base;
  }
}
