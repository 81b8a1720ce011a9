import { spawn } from 'node:child_process';
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from './setup/ports.ts';
import { repoRoot, startHaidang, tempDir } from './setup/processes.ts';

/**
 * The store and processor suites run on chDB in-process (the unit run) and again here, unchanged,
 * over ClickHouse's HTTP interface: through `haidang store` (chDB served as ClickHouse HTTP)
 * always, and against a real ClickHouse server when the global setup started one (a Docker
 * engine answered). So chDB, the gateway and ClickHouse itself cannot drift apart.
 */
interface Target {
  name: string;
  /** why this target cannot run on this machine; only the Docker-only target ever has one */
  unavailable?: string;
  /** starts the target when it is ours, and gives its URL (credentials included) and a stop */
  open(): Promise<{ url: string; close(): Promise<void> }>;
}

const gateway: Target = {
  name: '`haidang store` (chDB behind ClickHouse HTTP)',
  async open() {
    const port = await freePort();
    const password = `pw-${process.pid}`;
    const store = startHaidang(['store'], { HAIDANG_DATA_DIR: tempDir('gateway'), HAIDANG_STORE_PORT: String(port), CLICKHOUSE_USER: 'haidang', CLICKHOUSE_PASSWORD: password });
    await store.waitFor(/store ready/);
    return {
      url: `http://haidang:${password}@127.0.0.1:${port}`,
      close: async () => {
        store.signal('SIGTERM');
        await store.exited;
      },
    };
  },
};

const provided = inject('clickhouseServer');
const server: Target =
  'url' in provided
    ? { name: `a ClickHouse server (${provided.image}, testcontainers)`, open: async () => ({ url: provided.url, close: async () => {} }) }
    : { name: 'a ClickHouse server (testcontainers)', unavailable: provided.unavailable, open: () => Promise.reject(new Error(provided.unavailable)) };

for (const target of [gateway, server]) {
  describe.skipIf(target.unavailable !== undefined)(target.unavailable ? `${target.name}: skipped, ${target.unavailable}` : target.name, () => {
    let url: string;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ url, close } = await target.open());
    });
    afterAll(async () => close?.());

    it('the store and processor suites pass', async () => {
      const run = spawn('npx', ['vitest', 'run', 'stream/test/store.test.ts', 'stream/test/processor.test.ts', 'stream/test/stored-ids.test.ts', 'stream/test/processor-side-by-side.test.ts'], { cwd: repoRoot, env: { ...process.env, TEST_SCOPE: 'unit', CLICKHOUSE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      run.stdout.on('data', (d) => (out += d));
      run.stderr.on('data', (d) => (out += d));
      const code = await new Promise<number | null>((r) => run.on('exit', r));
      expect(code, out.slice(-4000)).toBe(0);
      expect(out).toMatch(/Tests\s+.*\d+ passed/);
      expect(out).not.toMatch(/\d+ failed/);
    });

    it('refuses a wrong password with ClickHouse code 516', async () => {
      const wrong = new URL(url);
      wrong.password = 'wrong';
      const client = createClient({ url: wrong.toString() });
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
  });
}
