import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** delay of every chunk travelling back from the upstream, ms; change at any time */
  delayMs: number;
  /** bytes held back in the proxy now (what a slow network would hold) */
  readonly heldBytes: number;
  close(): Promise<void>;
}

/**
 * A small in-process TCP proxy on loopback that makes an upstream slow: what the client
 * sends passes at once, what the upstream answers is held `delayMs` before it is passed
 * on, in order. Faults are injected at the socket, not by mocking the client (the habit of
 * platformatic/kafka's regression helpers).
 */
export async function startTcpProxy(upstream: { host: string; port: number }, delayMs = 0): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let held = 0;
  const proxy: TcpProxy = {
    port: 0,
    delayMs,
    get heldBytes() {
      return held;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server: Server = createServer((client) => {
    const up = connect(upstream.port, upstream.host);
    sockets.add(client).add(up);
    // every chunk leaves no earlier than the one before it, so order is kept
    let lastRelease = 0;
    up.on('data', (chunk: Buffer) => {
      held += chunk.length;
      const at = Math.max(Date.now() + proxy.delayMs, lastRelease);
      lastRelease = at;
      setTimeout(() => {
        held -= chunk.length;
        if (!client.destroyed) client.write(chunk);
      }, at - Date.now());
    });
    client.pipe(up);
    const end = () => {
      // let what is held drain before closing the client side
      setTimeout(() => client.end(), Math.max(0, lastRelease - Date.now()));
    };
    up.on('end', end);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
    client.on('close', () => {
      up.destroy();
      sockets.delete(client);
      sockets.delete(up);
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  proxy.port = (server.address() as { port: number }).port;
  return proxy;
}
