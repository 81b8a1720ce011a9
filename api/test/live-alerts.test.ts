import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AlertRule } from '../src/alerts/rules.ts';
import { capacity } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

const rules: AlertRule[] = [
  { id: 'tier2-oxygen-85', metric: 'oxygen-occupancy', where: { tier: 2 }, op: '>=', threshold: 0.85, forSeconds: 600, severity: 'critical', message: { vi: 'Giường oxy tầng 2 ≥ 85%', en: 'Tier-2 oxygen beds ≥ 85%' } },
];
let api: TestApi;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  api = await startTestApi({ alertRules: rules, live: { windowMs: 500 } });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = api.app.server.address() as { port: number };
  url = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await api.close();
});

function open(cookie: string | undefined, origin?: string): Socket {
  const s = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) } });
  sockets.push(s);
  return s;
}
const connected = (s: Socket) => new Promise<void>((resolve, reject) => (s.on('connect', () => resolve()), s.on('connect_error', reject)));
const refused = (s: Socket) => new Promise<string>((resolve) => s.on('connect_error', (e) => resolve(e.message)));

describe('live channels', () => {
  it('refuses sockets without a session or from an origin outside the allowlist', async () => {
    expect(await refused(open(undefined))).toBe('unauthorized');
    const evil = await refused(open(await api.cookieFor('operator'), 'http://evil.test'));
    expect(evil).toBeTruthy();
    await connected(open(await api.cookieFor('operator'), 'http://dashboard.test'));
  });

  it('serves source health on a channel for operators, not for the health centre', async () => {
    const op = open(await api.cookieFor('operator'));
    await connected(op);
    const sub = await op.emitWithAck('subscribe', 'sources');
    expect(sub).toMatchObject({ ok: true, channel: 'sources' });
    expect(Array.isArray(sub.snapshot)).toBe(true);
    const health = open(await api.cookieFor('health'));
    await connected(health);
    expect(await health.emitWithAck('subscribe', 'sources')).toMatchObject({ ok: false });
  });

  it('checks the role per channel', async () => {
    const s = open(await api.cookieFor('health'));
    await connected(s);
    expect(await s.emitWithAck('subscribe', 'prices')).toMatchObject({ ok: false });
    expect(await s.emitWithAck('subscribe', 'capacity')).toMatchObject({ ok: true, channel: 'capacity' });
  });

  it('sends a snapshot, then coalesced deltas at no more than the frame rate', async () => {
    await api.store_events([capacity('f-a', new Date(Date.now() - 60_000).toISOString(), { tier: 2, oxygenTotal: 10, oxygenOccupied: 1 })]);
    const s = open(await api.cookieFor('operator'));
    await connected(s);
    const frames: Array<{ at: number; frame: Record<string, Array<{ entity: string; oxygenBedsOccupied: number }>> }> = [];
    s.on('delta', (frame) => frames.push({ at: Date.now(), frame }));
    const sub = await s.emitWithAck('subscribe', 'capacity');
    expect(sub.snapshot.map((f: { facility: string }) => f.facility)).toEqual(['f-a']);
    const started = Date.now();
    // 20 stored batches in ~2 s, each one report of f-b
    for (let i = 0; i < 20; i++) {
      await api.store_events([capacity('f-b', new Date(Date.now() - 1000).toISOString(), { tier: 2, oxygenTotal: 20, oxygenOccupied: i })]);
      await new Promise((r) => setTimeout(r, 100));
    }
    await vi.waitFor(() => expect(frames.at(-1)?.frame.capacity?.at(-1)?.oxygenBedsOccupied).toBe(19), { timeout: 5_000 });
    const seconds = (Date.now() - started) / 1000;
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(frames.length).toBeLessThanOrEqual(Math.ceil(seconds * 2) + 1);
    // coalesced: one entry per series in a frame
    // coalesced: never two entries of one series in a frame (a frame may carry only f-a's
    // earlier report when the machine is slow, so f-b may be absent from one)
    // (how many of the 20 batches share a frame depends on how fast this machine stores them;
    // the bound above is the promise: never more frames than the window allows)
    for (const f of frames) expect((f.frame.capacity ?? []).filter((x) => x.entity === 'f-b').length).toBeLessThanOrEqual(1);
  });
});

describe('alerts', () => {
  it('fires once per episode after the duration, resolves, is pushed live and acknowledged with a comment', async () => {
    const op = open(await api.cookieFor('operator'));
    await connected(op);
    const pushed: Array<{ state: string; episodeId: string }> = [];
    op.on('delta', (f) => pushed.push(...(f.alerts ?? [])));
    expect(await op.emitWithAck('subscribe', 'alerts')).toMatchObject({ ok: true });

    const t0 = Date.parse('2022-08-10T01:00:00Z');
    const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
    const report = (min: number, occupied: number) => capacity('f-c2', at(min), { tier: 2, oxygenTotal: 20, oxygenOccupied: occupied });
    const cookie = await api.cookieFor('operator');
    const list = async () => (await api.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: { cookie } })).json().alerts as Array<{ episodeId: string; state: string; entity: string; startedAt: string; acknowledgedBy: string | null }>;

    await api.store_events([report(0, 18), report(5, 18)]); // 90% for 5 min: not yet
    await new Promise((r) => setTimeout(r, 300));
    expect((await list()).filter((a) => a.entity === 'f-c2')).toEqual([]);
    await api.store_events([report(11, 19)]); // 11 min ≥ 10: fires
    await api.store_events([report(15, 18), report(16, 20)]); // same episode
    await vi.waitFor(async () => expect((await list()).filter((a) => a.entity === 'f-c2')).toHaveLength(1));
    const [episode] = (await list()).filter((a) => a.entity === 'f-c2');
    expect(episode).toMatchObject({ state: 'firing', startedAt: at(0) });
    await api.store_events([report(20, 10)]); // back under: resolved
    await vi.waitFor(async () => expect((await list()).find((a) => a.entity === 'f-c2')?.state).toBe('resolved'));
    expect((await list()).filter((a) => a.entity === 'f-c2')).toHaveLength(1);
    // pushed live; changes of one episode within a frame interval coalesce to its newest state
    await vi.waitFor(() => expect(pushed.filter((p) => p.episodeId === episode!.episodeId).at(-1)?.state).toBe('resolved'));

    // acknowledge: health may not (403), an empty comment is 400, the operator may
    const url = `/api/v1/alerts/${episode!.episodeId}/acknowledge`;
    expect((await api.app.inject({ method: 'POST', url, headers: { cookie: await api.cookieFor('health') }, payload: { comment: 'x' } })).statusCode).toBe(403);
    const empty = await api.app.inject({ method: 'POST', url, headers: { cookie }, payload: { comment: ' ' } });
    expect(empty.json().errors[0].field).toBe('body.comment');
    const ack = await api.app.inject({ method: 'POST', url, headers: { cookie }, payload: { comment: 'opened 10 more oxygen beds' } });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ acknowledgedBy: 'operator', ackComment: 'opened 10 more oxygen beds' });
    const unacked = await api.app.inject({ method: 'GET', url: '/api/v1/alerts?acknowledged=false', headers: { cookie } });
    expect(unacked.json().alerts.filter((a: { entity: string }) => a.entity === 'f-c2')).toEqual([]);
    const audit = await api.app.inject({ method: 'GET', url: '/api/v1/audit?action=alert-acknowledge', headers: { cookie: await api.cookieFor('admin') } });
    expect(audit.json().entries[0]).toMatchObject({ actor: 'operator', target: episode!.episodeId });

    // a new breach is a new episode
    await api.store_events([report(30, 19), report(41, 19)]);
    await vi.waitFor(async () => expect((await list()).filter((a) => a.entity === 'f-c2')).toHaveLength(2));
  });
});

describe('sessions on live sockets', () => {
  // last in the file: it signs the health user's cached session out
  it('drops a socket whose session was revoked, even when no data flows', async () => {
    const cookie = await api.cookieFor('health');
    const s = open(cookie);
    await connected(s);
    const ended = new Promise<void>((resolve) => s.on('session-ended', () => resolve()));
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(res.statusCode).toBeLessThan(300);
    await ended;
    await vi.waitFor(() => expect(s.connected).toBe(false), { timeout: 5_000 });
  }, 30_000);
});
