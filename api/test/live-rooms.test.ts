import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { takeApiConfig } from '../src/config.ts';
import { capacity, price } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

describe('HAIDANG_LIVE_WINDOW_MS', () => {
  it('sets the live coalescing window: 500 ms unless set, whole milliseconds from 50 to 10000', () => {
    expect(takeApiConfig({}).live).toEqual({ windowMs: 500 });
    const env: NodeJS.ProcessEnv = { HAIDANG_LIVE_WINDOW_MS: '250' };
    expect(takeApiConfig(env).live).toEqual({ windowMs: 250 });
    expect(env.HAIDANG_LIVE_WINDOW_MS).toBeUndefined(); // taken out before the shared config is read
    for (const bad of ['20', '10001', '0.5', '1e3', 'fast']) {
      expect(() => takeApiConfig({ HAIDANG_LIVE_WINDOW_MS: bad }), bad).toThrow(/HAIDANG_LIVE_WINDOW_MS/);
    }
  });
});

type Frame = Record<string, Array<{ entity: string }>>;
interface Screen {
  socket: Socket;
  frames: Array<{ frame: Frame; flushedAt: unknown }>;
  channels: () => Set<string>;
  entities: (channel: string) => string[];
}

let api: TestApi;
let url: string;
let admin: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  api = await startTestApi({ live: { windowMs: 100 } });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(api.app.server.address() as { port: number }).port}`;
  admin = await api.cookieFor('admin');
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await api.close();
});

async function user(username: string, role: string): Promise<string> {
  const password = `${username}-password-1`;
  expect((await api.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: admin }, payload: { username, role, password } })).statusCode).toBe(201);
  const login = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const c = login.cookies.find((k) => k.name === 'haidang_session')!;
  return `${c.name}=${c.value}`;
}

async function screen(cookie: string): Promise<Screen> {
  const socket = connectSocket(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
  sockets.push(socket);
  const frames: Screen['frames'] = [];
  socket.on('delta', (frame: Frame, meta?: { flushedAt?: unknown }) => frames.push({ frame, flushedAt: meta?.flushedAt }));
  await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
  return {
    socket,
    frames,
    channels: () => new Set(frames.flatMap((f) => Object.keys(f.frame))),
    entities: (channel) => frames.flatMap((f) => (f.frame[channel] ?? []).map((x) => x.entity)),
  };
}
const at = () => new Date(Date.now() - 1_000).toISOString();

describe('live frames by room', () => {
  it('a screen gets exactly the frames of the channels its role may follow, one channel per frame, stamped with the flush time', async () => {
    const operator = await screen(await user('room-operator', 'operator'));
    const health = await screen(await user('room-health', 'health'));
    const evaluatorCapacityOnly = await screen(await user('room-evaluator', 'evaluator'));
    expect(await operator.socket.emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });
    expect(await operator.socket.emitWithAck('subscribe', 'prices')).toMatchObject({ ok: true });
    expect(await health.socket.emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });
    expect(await health.socket.emitWithAck('subscribe', 'prices')).toMatchObject({ ok: false }); // the health centre may not read prices
    expect(await evaluatorCapacityOnly.socket.emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });

    await api.store_events([capacity('f-a', at(), { tier: 2, oxygenTotal: 10, oxygenOccupied: 3 }), price('m-1', at(), 'pork', 120_000)]);
    await vi.waitFor(() => expect(operator.channels()).toEqual(new Set(['capacity', 'prices'])), { timeout: 10_000 });
    await vi.waitFor(() => expect(health.entities('capacity')).toContain('f-a'), { timeout: 10_000 });
    await vi.waitFor(() => expect(evaluatorCapacityOnly.entities('capacity')).toContain('f-a'), { timeout: 10_000 });
    // the same delivery seen by every capacity follower, whatever its role
    expect(health.entities('capacity')).toEqual(operator.entities('capacity'));

    // the operator's price frame has come, so the prices frame was sent: neither other screen got it
    expect(health.channels()).toEqual(new Set(['capacity']));
    expect(evaluatorCapacityOnly.channels()).toEqual(new Set(['capacity']));
    for (const s of [operator, health, evaluatorCapacityOnly]) {
      for (const f of s.frames) {
        expect(Object.keys(f.frame)).toHaveLength(1);
        expect(f.flushedAt).toEqual(expect.any(Number));
      }
    }

    // unsubscribing leaves the room: the next price reaches no one who left
    expect(await operator.socket.emitWithAck('unsubscribe', 'prices')).toEqual({ ok: true });
    const pricesBefore = operator.entities('prices').length;
    await api.store_events([price('m-2', at(), 'pork', 130_000), capacity('f-b', at(), { tier: 2, oxygenTotal: 10, oxygenOccupied: 4 })]);
    await vi.waitFor(() => expect(operator.entities('capacity')).toContain('f-b'), { timeout: 10_000 });
    // one stored batch per stream; wait for a later capacity frame so the prices batch has surely flushed
    await api.store_events([capacity('f-c', at(), { tier: 3, oxygenTotal: 10, oxygenOccupied: 5 })]);
    await vi.waitFor(() => expect(operator.entities('capacity')).toContain('f-c'), { timeout: 10_000 });
    expect(operator.entities('prices')).toHaveLength(pricesBefore);
  });

  it('a demoted or disabled user’s screen leaves every room at once and gets no further frame', async () => {
    const witness = await screen(await user('room-witness', 'operator'));
    expect(await witness.socket.emitWithAck('subscribe', 'prices')).toMatchObject({ ok: true });
    expect(await witness.socket.emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });
    const demoted = await screen(await user('room-demoted', 'operator'));
    const disabled = await screen(await user('room-disabled', 'health'));
    expect(await demoted.socket.emitWithAck('subscribe', 'prices')).toMatchObject({ ok: true });
    expect(await demoted.socket.emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });
    expect(await disabled.socket.emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true });

    await api.store_events([price('m-1', at(), 'pork', 140_000), capacity('f-a', at(), { tier: 2, oxygenTotal: 10, oxygenOccupied: 6 })]);
    await vi.waitFor(() => expect(demoted.channels()).toEqual(new Set(['capacity', 'prices'])), { timeout: 10_000 });
    await vi.waitFor(() => expect(disabled.channels()).toEqual(new Set(['capacity'])), { timeout: 10_000 });

    const ended = (s: Screen) => new Promise<unknown>((resolve) => s.socket.once('session-ended', resolve));
    const demotedEnd = ended(demoted);
    const disabledEnd = ended(disabled);
    expect((await api.app.inject({ method: 'PATCH', url: '/api/v1/users/room-demoted', headers: { cookie: admin }, payload: { role: 'health' } })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'PATCH', url: '/api/v1/users/room-disabled', headers: { cookie: admin }, payload: { disabled: true } })).statusCode).toBe(200);
    expect(await demotedEnd).toMatchObject({ reason: 'user-changed' });
    expect(await disabledEnd).toMatchObject({ reason: expect.stringMatching(/^user-/) });
    const seen = { demoted: demoted.frames.length, disabled: disabled.frames.length };

    await api.store_events([price('m-2', at(), 'pork', 150_000)]);
    await api.store_events([capacity('f-b', at(), { tier: 2, oxygenTotal: 10, oxygenOccupied: 7 })]);
    await vi.waitFor(() => expect(witness.entities('capacity').filter((e) => e === 'f-b').length).toBeGreaterThan(0), { timeout: 10_000 });
    await vi.waitFor(() => expect(witness.entities('prices')).toContain('m-2'), { timeout: 10_000 });
    expect({ demoted: demoted.frames.length, disabled: disabled.frames.length }).toEqual(seen);
    expect(demoted.socket.connected).toBe(false);
    expect(disabled.socket.connected).toBe(false);
  });
});
