import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStore, type RunningStore } from './setup/store.ts';
import { repoRoot } from './setup/processes.ts';

/**
 * `haidang store` held to the ClickHouse clients other people wrote, each doing real work —
 * connect, a parameterised query, a 100,000-row insert with the client's default compression
 * read back exactly, an error with its code, a wrong password refused:
 *   Python clickhouse-connect, Go clickhouse-go/v2 over HTTP as Grafana's data source
 *   configures it (and with each compression Grafana offers), clickhouse-jdbc 0.10.
 * scripts/deps/store-clients.sh installs them (`npm test` runs it). Each client is a small
 * program under tests/clients/ that prints "ok NAME …" or "fail NAME …" per check.
 */
const clients = join(repoRoot, 'tests/clients');
const run = promisify(execFile);

async function client(cmd: string, args: string[], cwd: string): Promise<{ lines: string[]; out: string }> {
  const r = await run(cmd, args, { cwd, timeout: 150_000, maxBuffer: 16 * 1024 * 1024 }).catch((e: { stdout?: string; stderr?: string; message: string }) => ({ stdout: e.stdout ?? '', stderr: `${e.stderr ?? ''}\n${e.message}` }));
  const out = `${r.stdout}\n${r.stderr}`;
  return { lines: r.stdout.split('\n').filter((l) => /^(ok|fail) /.test(l)), out };
}

function expectAllOk(result: { lines: string[]; out: string }, checks: string[]): void {
  for (const name of checks) {
    const line = result.lines.find((l) => l.split(' ')[1] === name);
    expect(line, `${name}:\n${result.out.slice(-3000)}`).toMatch(/^ok /);
  }
}

const checks = ['connect', 'parameters', 'insert', 'error-code', 'wrong-password'];

describe('real ClickHouse clients against haidang store', () => {
  let store: RunningStore;
  beforeAll(async () => {
    store = await startStore('clients');
  });
  afterAll(async () => store?.close());

  it('Python clickhouse-connect: connects, binds parameters, inserts 100,000 rows lz4-compressed and reads them back exactly, reports codes 60 and 516', async () => {
    const r = await client('python3', [join(clients, 'python/client.py'), '127.0.0.1', String(store.port), store.user, store.password, '100000'], clients);
    expectAllOk(r, checks);
    expect(r.lines.find((l) => l.startsWith('ok insert'))).toMatch(/100000 rows \(lz4 compression\)/);
    // it sends cast_string_to_dynamic_use_inference=1 with every query, in its own session: nobody else gets it
    expect(await store.curl(['--data-binary', "SELECT getSetting('cast_string_to_dynamic_use_inference')"])).toBe('false\n');
  });

  for (const compression of ['none', 'lz4', 'zstd', 'gzip']) {
    it(`Go clickhouse-go/v2 over HTTP as Grafana configures it, compression ${compression}: ping, parameters, 100,000-row insert read back, codes 60 and 516`, async () => {
      const bin = join(clients, 'go/.bin/client');
      expect(existsSync(bin), 'run scripts/deps/store-clients.sh to build the Go client').toBe(true);
      const r = await client(bin, ['-addr', `127.0.0.1:${store.port}`, '-user', store.user, '-password', store.password, '-compression', compression, '-rows', '100000'], clients);
      expectAllOk(r, ['ping', 'parameters', 'create', 'insert', 'read-back', 'rows', 'error-code', 'wrong-password']);
    });
  }

  it('clickhouse-jdbc 0.10 with its default (LZ4) compression: connects, binds parameters, batch-inserts 100,000 rows read back exactly, reports codes 60 and 516', async () => {
    const cp = join(clients, 'jdbc/.classpath');
    expect(existsSync(cp), 'run scripts/deps/store-clients.sh to fetch clickhouse-jdbc').toBe(true);
    const r = await client('java', ['-cp', readFileSync(cp, 'utf8').trim(), join(clients, 'jdbc/JdbcClient.java'), '127.0.0.1', String(store.port), store.user, store.password, '100000'], join(clients, 'jdbc'));
    expectAllOk(r, checks);
  });
});
