import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { KafkaTransport } from '@haidang/stream';
import { afterAll } from 'vitest';

export const repoRoot = resolve(import.meta.dirname, '../..');
const cli = join(repoRoot, 'bin/haidang.mjs');
const quiet = pino({ level: 'silent' });

export interface Service {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  signal(s: NodeJS.Signals): void;
  alive(): boolean;
}

/** every service a test started; a test that fails or times out must not leave one running */
const started = new Set<ChildProcess>();
const killStarted = () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
};
// at the end of the file (after its own hooks: vitest runs after-hooks last-registered first), and
// at exit; vitest ends a file's process without an 'exit' event, so a test that failed between
// starting a worker and stopping it left the worker running
// (the benches import this file outside vitest)
if (process.env.VITEST) afterAll(killStarted);
process.once('exit', killStarted);

/** Starts `haidang <args>` as a real process (the process is the point: kill -9, SIGSTOP). */
export function startHaidang(args: string[], env: Record<string, string>): Service {
  // as `npm start` and infra/run-distributed.sh run it: chDB's calls each hold a thread of libuv's pool
  const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, env: { UV_THREADPOOL_SIZE: '16', ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  child.once('exit', () => started.delete(child));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => { done = true; res({ code, signal }); }));
  return {
    child,
    output: () => out,
    exited,
    alive: () => !done,
    signal: (s) => child.kill(s),
    async waitFor(pattern, timeoutMs = 60_000) {
      const t0 = Date.now();
      while (!pattern.test(out)) {
        if (done) throw new Error(`haidang ${args.join(' ')} exited before ${pattern}:\n${out.slice(-3000)}`);
        if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${pattern}:\n${out.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** Runs one query on a stopped service's chDB folder through `haidang sql` (chDB opens a folder from one process only). */
export async function sql<T = Record<string, string>>(dataDir: string, query: string): Promise<T[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'sql', query, '--data', dataDir], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'warn' }, maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `haidang-${name}-`));
}

/** A unique topic prefix and group per scenario, so tests share one broker without seeing each other. */
export function scenario(name: string) {
  const id = `${name}-${process.pid}-${Date.now()}`;
  return { prefix: `${id}.`, group: `g-${id}`, dataDir: tempDir(name) };
}

export function kafkaClient(brokers: string): KafkaTransport {
  return new KafkaTransport({ brokers: brokers.split(','), clientId: 'haidang-test', logger: quiet });
}

/** Waits until the group has committed everything on these topics. */
export async function waitForLagZero(kafka: KafkaTransport, group: string, topics: string[], timeoutMs = 120_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const lag = await kafka.lag(group, topics).catch(() => null);
    if (lag?.length && lag.every((l) => l.lag === 0) && lag.some((l) => l.end !== '0')) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`lag did not reach 0: ${JSON.stringify(lag)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
