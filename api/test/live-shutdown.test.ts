import { io as connectSocket } from 'socket.io-client';
import { expect, it } from 'vitest';
import { startTestApi } from './fixtures/test-api.ts';

it('closing the api with live screens connected closes their sockets first and finishes at once', async () => {
  const api = await startTestApi();
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (api.app.server.address() as { port: number }).port;
  const cookie = await api.cookieFor('operator');
  const screens = [0, 1, 2].map(() => connectSocket(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } }));
  await Promise.all(screens.map((s) => new Promise<void>((resolve, reject) => (s.on('connect', () => resolve()), s.on('connect_error', reject)))));
  for (const s of screens) expect(await s.timeout(5_000).emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });
  const told = screens.map((s) => new Promise<string>((resolve) => s.on('disconnect', resolve)));
  // the close is not left waiting on the screens' WebSockets (it waited for them until a forced exit)
  const closed = await Promise.race([api.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('still closing after 10 s'), 10_000))]);
  expect(closed).toBe('closed');
  // each screen hears it and can say "disconnected" at once
  expect(await Promise.all(told)).toEqual(['io server disconnect', 'io server disconnect', 'io server disconnect']);
  for (const s of screens) s.close();
});
