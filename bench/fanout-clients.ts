/**
 * One process of the fan-out bench's client pool (forked by bench/fanout.ts): `clients` wall
 * screens, each signing in as a real wall does (POST /api/v1/auth/wall with the wall token,
 * its own session cookie), opening its own socket.io connection and following the capacity
 * channel. While measuring it records, per delta frame, the server's flush → receive time
 * (the frame's `flushedAt` stamp; same machine, same clock) and, per report in the frame,
 * publish → receive (the report's `receivedAt` is its publish time), in 1 ms histograms, and
 * reports them to the parent with its frame counts, CPU and RSS. For bench/fanout-floor.ts
 * (`kind: 'ws'`) its clients are bare WebSocket connections instead, timing each frame alike.
 */
import { io as connect, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { z } from 'zod';
import { histogram } from './fanout-histogram.ts';

/** `socket.io`: wall screens of the api; `ws`: bare WebSocket clients of bench/fanout-floor.ts's server */
const setup = z.object({ type: z.literal('setup'), kind: z.enum(['socket.io', 'ws']), url: z.string().url(), token: z.string(), clients: z.number().int().min(1), wave: z.number().int().min(1) });
const command = z.union([setup, z.object({ type: z.enum(['start', 'stop', 'exit']) })]);
export type PoolCommand = z.infer<typeof command>;
export type PoolSetup = z.infer<typeof setup>;

const send = (m: unknown) => process.send?.(m);
const flush = histogram();
const publishToClient = histogram();
const sockets: Socket[] = [];
const bare: WebSocket[] = [];
let frames: number[] = [];
let measuring = false;
let cpuAtStart = process.cpuUsage();
let ended = 0;
let disconnected = 0;

async function signIn(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/wall`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  if (res.status !== 200) throw new Error(`wall sign-in: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('haidang_session='));
  if (!cookie) throw new Error('wall sign-in: no session cookie');
  return cookie.split(';')[0]!;
}

async function open(url: string, token: string, n: number): Promise<void> {
  const cookie = await signIn(url, token);
  const s = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie, origin: url } });
  sockets.push(s);
  s.on('delta', (frame: { capacity?: Array<{ receivedAt: string }> }, meta?: { flushedAt?: number }) => {
    if (!measuring || !frame.capacity) return;
    const now = Date.now();
    frames[n]!++;
    if (typeof meta?.flushedAt === 'number') flush.add(now - meta.flushedAt);
    for (const item of frame.capacity) publishToClient.add(now - Date.parse(item.receivedAt));
  });
  s.on('session-ended', () => void ended++);
  s.on('disconnect', () => void disconnected++);
  await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
  const ack = (await s.timeout(120_000).emitWithAck('subscribe', 'capacity')) as { ok: boolean; error?: string };
  if (!ack.ok) throw new Error(`subscribe: ${ack.error}`);
}

/** a bare WebSocket client: each text frame is `{ flushedAt, capacity }` */
async function openBare(url: string, n: number): Promise<void> {
  const s = new WebSocket(url);
  bare.push(s);
  s.on('message', (data: Buffer) => {
    if (!measuring) return;
    const now = Date.now();
    const frame = JSON.parse(data.toString()) as { flushedAt: number; capacity: unknown[] };
    frames[n]!++;
    flush.add(now - frame.flushedAt);
  });
  s.on('close', () => void disconnected++);
  await new Promise<void>((resolve, reject) => (s.once('open', () => resolve()), s.once('error', reject)));
}
const connectedCount = () => sockets.filter((s) => s.connected).length + bare.filter((s) => s.readyState === WebSocket.OPEN).length;

process.on('message', async (raw) => {
  const m = command.parse(raw);
  if (m.type === 'setup') {
    frames = new Array<number>(m.clients).fill(0);
    let failed = 0;
    let firstError: string | undefined;
    for (let i = 0; i < m.clients; i += m.wave) {
      const results = await Promise.allSettled(Array.from({ length: Math.min(m.wave, m.clients - i) }, (_, j) => (m.kind === 'ws' ? openBare(m.url, i + j) : open(m.url, m.token, i + j))));
      for (const r of results) if (r.status === 'rejected') (failed++, (firstError ??= `${r.reason} ${(r.reason as { cause?: unknown })?.cause ?? ''}`));
      send({ type: 'progress', done: Math.min(i + m.wave, m.clients), failed });
    }
    send({ type: 'ready', connected: connectedCount(), failed, firstError });
  } else if (m.type === 'start') {
    cpuAtStart = process.cpuUsage();
    measuring = true;
  } else if (m.type === 'stop') {
    measuring = false;
    const cpu = process.cpuUsage(cpuAtStart);
    send({ type: 'stats', flush: flush.counts, publish: publishToClient.counts, frames, cpuMs: (cpu.user + cpu.system) / 1000, rssMiB: process.memoryUsage().rss / 2 ** 20, connected: connectedCount(), ended, disconnected });
  } else {
    for (const s of sockets) s.disconnect();
    for (const s of bare) s.terminate();
    process.exit(0);
  }
});
send({ type: 'up' });
