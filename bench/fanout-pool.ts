/**
 * The fan-out benches' client pool, seen from the bench: `procs` forked processes of
 * bench/fanout-clients.ts holding `clients` connections between them, connected in waves with
 * a progress line every 15 s, then told to measure, stop and exit; their histograms merged.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { PoolCommand, PoolSetup } from './fanout-clients.ts';
import { histogram } from './fanout-histogram.ts';

interface Stats {
  type: 'stats';
  flush: number[];
  publish: number[];
  frames: number[];
  cpuMs: number;
  rssMiB: number;
  connected: number;
  ended: number;
  disconnected: number;
}

export interface PoolResult {
  connectedAtEnd: number;
  sessionsEnded: number;
  flush: ReturnType<typeof histogram>;
  toClient: ReturnType<typeof histogram>;
  /** frames each client got in the measured time */
  frames: number[];
  cpuPercentOfOneCore: number;
  rssMiB: number;
}

const next = <T>(child: ChildProcess, type: string) =>
  new Promise<T>((resolve, reject) => {
    const onMessage = (m: { type: string }) => m.type === type && (child.off('message', onMessage), child.off('exit', onExit), resolve(m as T));
    const onExit = (code: number | null) => reject(new Error(`client process exited (${code}) before '${type}'`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
const tell = (child: ChildProcess, m: PoolCommand) => child.send(m);

/** forks the pool and connects every client; `setupOf(i, clients)` says what process i connects to */
export async function startPool(o: { clients: number; procs: number; progress: (line: string) => void; setupOf: (i: number, clients: number) => Promise<Omit<PoolSetup, 'type' | 'clients'>> }) {
  const pool: ChildProcess[] = [];
  const clientsOf = (i: number) => Math.floor(o.clients / o.procs) + (i < o.clients % o.procs ? 1 : 0);
  const connectStart = performance.now();
  const connecting = new Map<ChildProcess, { done: number; failed: number }>();
  const connectProgress = setInterval(() => {
    const all = [...connecting.values()];
    o.progress(`connecting: ${all.reduce((a, c) => a + c.done, 0)} / ${o.clients} tried, ${all.reduce((a, c) => a + c.failed, 0)} failed, ${Math.round(performance.now() - connectStart) / 1000} s`);
  }, 15_000);
  const ready = await Promise.all(
    Array.from({ length: o.procs }, async (_, i) => {
      const setup = await o.setupOf(i, clientsOf(i));
      const child = fork(new URL('./fanout-clients.ts', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      pool.push(child);
      await next(child, 'up');
      child.on('message', (m: { type: string; done?: number; failed?: number }) => m.type === 'progress' && connecting.set(child, { done: m.done ?? 0, failed: m.failed ?? 0 }));
      const r = next<{ connected: number; failed: number; firstError?: string }>(child, 'ready');
      tell(child, { type: 'setup', clients: clientsOf(i), ...setup });
      const done = await r;
      if (done.failed) o.progress(`client process ${i}: ${done.failed} clients failed (${done.firstError})`);
      return done;
    }),
  );
  clearInterval(connectProgress);
  const connected = ready.reduce((a, r) => a + r.connected, 0);
  const connectSeconds = (performance.now() - connectStart) / 1000;
  o.progress(`${connected} / ${o.clients} clients connected in ${connectSeconds.toFixed(1)} s (${o.procs} processes)`);
  return {
    connected,
    connectSeconds,
    /** the clients start counting */
    measure: () => {
      for (const c of pool) tell(c, { type: 'start' });
    },
    /** the clients stop counting and report; then they exit */
    finish: async (elapsedSeconds: number): Promise<PoolResult> => {
      const stats = await Promise.all(pool.map(async (c) => (tell(c, { type: 'stop' }), next<Stats>(c, 'stats'))));
      await Promise.all(pool.map(async (c) => (tell(c, { type: 'exit' }), new Promise((r) => c.once('exit', r)))));
      const flush = histogram();
      const toClient = histogram();
      for (const s of stats) (flush.merge(s.flush), toClient.merge(s.publish));
      return {
        connectedAtEnd: stats.reduce((a, s) => a + s.connected, 0),
        sessionsEnded: stats.reduce((a, s) => a + s.ended, 0),
        flush,
        toClient,
        frames: stats.flatMap((s) => s.frames),
        cpuPercentOfOneCore: +(stats.reduce((a, s) => a + s.cpuMs, 0) / (elapsedSeconds * 10)).toFixed(0),
        rssMiB: +stats.reduce((a, s) => a + s.rssMiB, 0).toFixed(0),
      };
    },
  };
}
