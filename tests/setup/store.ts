import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from './ports.ts';
import { startHaidang, tempDir } from './processes.ts';

/** `haidang store` started as a real process on a free loopback port, for the store's HTTP tests */
export interface RunningStore {
  port: number;
  user: string;
  password: string;
  /** http://127.0.0.1:port (no credentials) */
  base: string;
  /** curl -sS with the store's credentials; `path` defaults to `/`; resolves to stdout */
  curl(args: string[], path?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startStore(name: string, env: Record<string, string> = {}): Promise<RunningStore> {
  const port = await freePort();
  const user = 'haidang';
  const password = `pw-${process.pid}`;
  const store = startHaidang(['store'], { HAIDANG_DATA_DIR: tempDir(name), HAIDANG_STORE_PORT: String(port), HAIDANG_OPS_PORT: String(await freePort()), CLICKHOUSE_USER: user, CLICKHOUSE_PASSWORD: password, ...env });
  await store.waitFor(/store ready/);
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    user,
    password,
    base,
    curl: async (args, path = '/') => (await promisify(execFile)('curl', ['-sS', '-u', `${user}:${password}`, ...args, `${base}${path}`], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' })).stdout,
    close: async () => {
      store.signal('SIGTERM');
      await store.exited;
    },
  };
}
