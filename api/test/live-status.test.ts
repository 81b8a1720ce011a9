import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveStatus } from '@haidang/stream';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

/** a live source like the distributed api's tail (stream/src/processor/live-tail.ts), whose status the test sets */
function tailLike() {
  const listeners = new Set<(s: LiveStatus) => void>();
  const source = {
    status: { live: true, since: new Date().toISOString() } as LiveStatus,
    onStored: () => () => {},
    onStatus: (l: (s: LiveStatus) => void) => (listeners.add(l), () => listeners.delete(l)),
  };
  return { source, set: (s: LiveStatus) => ((source.status = s), listeners.forEach((l) => l(s))) };
}

let api: TestApi;
let url: string;
const tail = tailLike();
const sockets: Socket[] = [];

beforeAll(async () => {
  api = await startTestApi({ processor: undefined, liveSource: tail.source });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(api.app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await api.close();
});

async function open(): Promise<{ socket: Socket; statuses: unknown[] }> {
  const socket = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: await api.cookieFor('operator') } });
  sockets.push(socket);
  const statuses: unknown[] = [];
  socket.on('live-status', (s) => statuses.push(s));
  await new Promise<void>((resolve, reject) => (socket.on('connect', () => resolve()), socket.on('connect_error', reject)));
  return { socket, statuses };
}
const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 10));
};

describe('live clients are told when updates are delayed', () => {
  it('sends live-status to every socket when the tail lags and when it is current again, and to a socket that joins meanwhile', async () => {
    const first = await open();
    expect(first.statuses).toEqual([]);
    const delayed: LiveStatus = { live: false, since: new Date().toISOString(), reason: 'consumer crashed' };
    tail.set(delayed);
    await until(() => first.statuses.length === 1);
    expect(first.statuses[0]).toEqual(delayed);
    const late = await open();
    await until(() => late.statuses.length === 1);
    expect(late.statuses[0]).toEqual(delayed);
    tail.set({ live: true, since: new Date().toISOString() });
    await until(() => first.statuses.length === 2 && late.statuses.length === 2);
    expect(first.statuses[1]).toMatchObject({ live: true });
  });
});
