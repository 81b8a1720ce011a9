import { createServer } from 'node:net';

const canListen = (port: number) =>
  new Promise<boolean>((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });

/** A port the OS picks, for a listener the caller starts at once. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** Linux's default ephemeral range starts here (net.ipv4.ip_local_port_range 32768–60999). */
const ephemeralFrom = 32_768;
const handedOut = new Set<number>();

/**
 * `count` consecutive free ports below the ephemeral range: for listeners started later, or
 * started again after a kill on the same port (a broker and its controller, a block of ops
 * ports). A port the OS picks sits in the ephemeral range, where any outgoing connection or
 * another test's port-0 listener can take it (or the port after it) in the meantime; below
 * that range only a deliberate listener can.
 */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * (ephemeralFrom - 20_000 - count));
    const ports = Array.from({ length: count }, (_, i) => first + i);
    if (ports.some((p) => handedOut.has(p))) continue;
    if ((await Promise.all(ports.map(canListen))).every(Boolean)) {
      for (const p of ports) handedOut.add(p);
      return first;
    }
  }
  throw new Error(`no ${count} consecutive free ports between 20000 and ${ephemeralFrom}`);
}
