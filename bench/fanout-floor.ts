/**
 * The floor under bench/fanout.ts's flush → client figure on this machine: the same client
 * pool (bench/fanout-clients.ts, `--procs` processes) holding `--clients` bare WebSocket
 * connections (the `ws` library, which socket.io's server itself writes with) to a server that
 * does nothing but write one frame to every connection each `--window-ms`: a frame of
 * `--reports` capacity reports encoded once (as socket.io encodes a room's frame once), sent as
 * a text frame. No api, no store, no sessions, no socket.io protocol. Measured as in
 * bench/fanout.ts: flush → client per frame, the time the server's loop takes to hand the
 * frame to every socket, frames per client per second, server CPU and the pool's CPU.
 *   npx tsx bench/fanout-floor.ts [--clients 5000] [--procs 10] [--seconds 30] [--window-ms 500] [--reports 10]
 * Prints one JSON line and one readable line.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { startPool } from './fanout-pool.ts';
import { histogram } from './fanout-histogram.ts';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '5000' },
    procs: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '30' },
    'window-ms': { type: 'string', default: '500' },
    reports: { type: 'string', default: '10' },
    wave: { type: 'string', default: '100' },
  },
});
const clients = Number(args.clients);
const procs = Math.min(Number(args.procs), clients);
const seconds = Number(args.seconds);
const windowMs = Number(args['window-ms']);
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
await new Promise<void>((r) => wss.once('listening', () => r()));
const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
const pool = await startPool({ clients, procs, progress, setupOf: async () => ({ kind: 'ws', url, token: '', wave: Number(args.wave) }) });

// reports shaped as the capacity channel's delta rows, as many as a window brings at 20 reports/s
const reportsOf = (at: string) => Array.from({ length: Number(args.reports) }, (_, i) => ({ entity: `f-${String(i).padStart(4, '0')}`, observedAt: at, receivedAt: at, tier: (i % 3) + 1, bedsTotal: 60, bedsOccupied: 31, oxygenBedsTotal: 40, oxygenBedsOccupied: 22, oxygenStockLitres: 5000, staffOnDuty: 12 }));
const handOver = histogram();
pool.measure();
const cpuAtStart = process.cpuUsage();
const start = Date.now();
let frameBytes = 0;
await new Promise<void>((resolve) => {
  const tick = setInterval(() => {
    if (Date.now() - start >= seconds * 1000) return (clearInterval(tick), resolve());
    const flushedAt = Date.now();
    const frame = Buffer.from(JSON.stringify({ flushedAt, capacity: reportsOf(new Date(flushedAt).toISOString()) }));
    frameBytes = frame.length;
    const t0 = performance.now();
    for (const c of wss.clients) c.send(frame, { binary: false });
    handOver.add(performance.now() - t0);
  }, windowMs);
});
await new Promise((r) => setTimeout(r, 1_500));
const cpu = process.cpuUsage(cpuAtStart);
const elapsed = (Date.now() - start) / 1000;
const saw = await pool.finish(elapsed);
wss.close();

const fps = saw.frames.map((f) => f / elapsed);
const result = {
  bench: 'fanout-floor',
  clients,
  procs,
  connectedAtEnd: saw.connectedAtEnd,
  connectSeconds: +pool.connectSeconds.toFixed(1),
  windowMs,
  seconds,
  frameBytes,
  flushToClientMs: { p50: saw.flush.pct(50), p99: saw.flush.pct(99), max: saw.flush.pct(100) },
  serverHandOverMs: { p50: handOver.pct(50), p99: handOver.pct(99) },
  framesPerClientPerSecond: +(fps.reduce((a, b) => a + b, 0) / Math.max(1, fps.length)).toFixed(2),
  server: { cpuPercentOfOneCore: +((100 * (cpu.user + cpu.system)) / 1000 / (elapsed * 1000)).toFixed(0) },
  clientPool: { cpuPercentOfOneCore: saw.cpuPercentOfOneCore, rssMiB: saw.rssMiB },
};
console.log(JSON.stringify(result));
console.log(
  `fan-out floor (bare ws, no api) to ${result.connectedAtEnd}/${clients} clients in ${procs} processes, a ${frameBytes}-byte frame every ${windowMs} ms: ` +
    `flush→client p50 ${result.flushToClientMs.p50} / p99 ${result.flushToClientMs.p99} ms; the server's loop over the sockets p50 ${result.serverHandOverMs.p50} / p99 ${result.serverHandOverMs.p99} ms; ` +
    `${result.framesPerClientPerSecond} frames/client/s; server ${result.server.cpuPercentOfOneCore}% of a core; client pool ${result.clientPool.cpuPercentOfOneCore}% of a core`,
);
process.exit(0);
