import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot, startHaidang, tempDir, type Service } from './setup/processes.ts';

/**
 * `haidang store` answers ClickHouse's HTTP interface over chDB. The store and processor suites
 * that run on chDB in-process run again through it, unchanged, so the two cannot drift.
 */
let store: Service;
let url: string;
const password = `pw-${process.pid}`;

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

beforeAll(async () => {
  const port = await freePort();
  store = startHaidang(['store'], { HAIDANG_DATA_DIR: tempDir('gateway'), HAIDANG_STORE_PORT: String(port), CLICKHOUSE_USER: 'haidang', CLICKHOUSE_PASSWORD: password });
  await store.waitFor(/store ready/);
  url = `http://haidang:${password}@127.0.0.1:${port}`;
});
afterAll(async () => {
  store.signal('SIGTERM');
  await store.exited;
});

it('the store and processor suites pass through the gateway', async () => {
  const run = spawn('npx', ['vitest', 'run', 'stream/test/store.test.ts', 'stream/test/processor.test.ts'], { cwd: repoRoot, env: { ...process.env, TEST_SCOPE: 'unit', CLICKHOUSE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  run.stdout.on('data', (d) => (out += d));
  run.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((r) => run.on('exit', r));
  expect(code, out.slice(-4000)).toBe(0);
  expect(out).toMatch(/Tests\s+.*\d+ passed/);
  expect(out).not.toMatch(/\d+ failed/);
});

it('refuses a wrong password as ClickHouse does (code 516)', async () => {
  const client = createClient({ url: url.replace(password, 'wrong') });
  await expect(client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).rejects.toMatchObject({ code: '516' });
  await client.close();
});

it('reports a failing query with its ClickHouse code and keeps serving', async () => {
  const client = createClient({ url });
  await expect(client.query({ query: 'SELECT * FROM no_such_table', format: 'JSONEachRow' })).rejects.toMatchObject({ code: '60' });
  const rs = await client.query({ query: 'SELECT {n:UInt8} + 1 AS x', query_params: { n: 41 }, format: 'JSONEachRow' });
  expect(await rs.json()).toEqual([{ x: 42 }]);
  expect((await client.ping()).success).toBe(true);
  await client.close();
});
