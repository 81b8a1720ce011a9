import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './setup/ports.ts';
import { startStore, type RunningStore } from './setup/store.ts';
import { repoRoot, startHaidang, tempDir } from './setup/processes.ts';

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

  it('Python clickhouse-connect: connects, binds parameters, inserts 100,000 rows lz4-compressed and reads them back exactly, queries a table sent as external data, reports codes 60 and 516', async () => {
    const r = await client('python3', [join(clients, 'python/client.py'), '127.0.0.1', String(store.port), store.user, store.password, '100000'], clients);
    expectAllOk(r, [...checks, 'external-data']);
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

/** every ClickHouse query of the dashboards in infra/grafana, with Grafana's $__timeFilter expanded as its ClickHouse data source does */
function dashboardQueries(): { title: string; sql: string }[] {
  const dir = join(repoRoot, 'infra/grafana/dashboards');
  const now = Math.floor(Date.now() / 1000);
  const out: { title: string; sql: string }[] = [];
  type Panel = { title?: string; panels?: Panel[]; targets?: { rawSql?: string }[] };
  const walk = (file: string, panels: Panel[] = []) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) if (t.rawSql) out.push({ title: `${file}: ${p.title}`, sql: t.rawSql.replace(/\$__timeFilter\(([^)]+)\)/g, (_, c: string) => `${c} >= toDateTime(${now - 30 * 86400}) AND ${c} <= toDateTime(${now + 86400})`) });
      walk(file, p.panels);
    }
  };
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) walk(f, (JSON.parse(readFileSync(join(dir, f), 'utf8')) as Panel).panels);
  return out;
}

describe('Grafana against `haidang start` (embedded) with HAIDANG_STORE_HTTP_PASSWORD', () => {
  it('every dashboard query in infra/grafana returns rows through clickhouse-go, as the read-only user, who cannot write', async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(5);
    const file = join(tempDir('panels'), 'panels.json');
    writeFileSync(file, JSON.stringify(queries));
    const port = await freePort();
    const start = startHaidang(['start'], { HAIDANG_DATA_DIR: tempDir('embedded-grafana'), HAIDANG_PORT: String(await freePort()), HAIDANG_STORE_PORT: String(port), HAIDANG_STORE_HTTP_PASSWORD: 'grafana-test-pw', HAIDANG_SIM_RATE: '200', HAIDANG_SIM_HISTORY_HOURS: '48' });
    try {
      await start.waitFor(/read-only user grafana/);
      const bin = join(clients, 'go/.bin/client');
      // the simulator's history reaches every table within moments of start; ask again until it has.
      // 48 h of it: vaccination clinics open Monday to Saturday by day, and any 48 hours hold some of
      // those hours (24 h before a Sunday evening held none, and the vaccination panels had no rows)
      let r = { lines: [] as string[], out: '' };
      for (let attempt = 0; attempt < 30; attempt++) {
        r = await client(bin, ['-addr', `127.0.0.1:${port}`, '-user', 'grafana', '-password', 'grafana-test-pw', '-queries', file], clients);
        if (r.lines.length === queries.length && r.lines.every((l) => l.startsWith('ok '))) break;
        await new Promise((ok) => setTimeout(ok, 2000));
      }
      expect(r.lines.filter((l) => l.startsWith('ok ')), r.out.slice(-3000)).toHaveLength(queries.length);
      const write = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'DROP TABLE capacity_raw', headers: { Authorization: `Basic ${Buffer.from('grafana:grafana-test-pw').toString('base64')}` } });
      expect(write.headers.get('x-clickhouse-exception-code')).toBe('164');
      // external data is read through a file, which chDB refuses to a read-only session: told so, 4xx
      const form = new FormData();
      form.append('ext', new Blob(['1\n']), 'ext.tsv');
      const external = await fetch(`http://127.0.0.1:${port}/?query=SELECT+*+FROM+ext&ext_structure=n+UInt8`, { method: 'POST', body: form, headers: { Authorization: `Basic ${Buffer.from('grafana:grafana-test-pw').toString('base64')}` } });
      expect(external.status).toBe(403);
      expect(external.headers.get('x-clickhouse-exception-code')).toBe('164');
      // nor can it read or write the host's files, which chDB's read-only mode does not stop
      const leak = join(tempDir('grafana-leak'), 'leak.txt');
      for (const [sql, code] of [["SELECT file('/etc/hostname')", '497'], ["SELECT count() FROM '/etc/passwd'", '497'], [`SELECT 1 INTO OUTFILE '${leak}'`, '358']]) {
        const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: sql, headers: { Authorization: `Basic ${Buffer.from('grafana:grafana-test-pw').toString('base64')}` } });
        expect([r.status, r.headers.get('x-clickhouse-exception-code')], sql).toEqual([403, code]);
      }
      expect(existsSync(leak)).toBe(false);
      // in a session (whose connection cannot be made read-only) the read-only account's statement carries no settings of its own (the eleventh round)
      const inSession = await fetch(`http://127.0.0.1:${port}/?session_id=ro-1&query=${encodeURIComponent('SELECT 1 SETTINGS max_execution_time = 0')}`, { headers: { Authorization: `Basic ${Buffer.from('grafana:grafana-test-pw').toString('base64')}` } });
      expect([inSession.status, inSession.headers.get('x-clickhouse-exception-code')]).toEqual([403, '164']);
      // a few statements at a time for the read-only account, so its slow reads cannot hold every thread of the store (the tenth round)
      const slow = await Promise.all(Array.from({ length: 6 }, () => fetch(`http://127.0.0.1:${port}/?query=${encodeURIComponent('SELECT sum(sleepEachRow(0.5)) FROM numbers(2)')}`, { headers: { Authorization: `Basic ${Buffer.from('grafana:grafana-test-pw').toString('base64')}` } }).then(async (r) => [r.status, r.headers.get('x-clickhouse-exception-code'), await r.text()] as const)));
      expect(slow.filter(([s]) => s === 200).length).toBeGreaterThan(0);
      expect(slow.filter(([s, code]) => s === 503 && code === '202').length).toBeGreaterThan(0);
    } finally {
      start.signal('SIGTERM');
      await start.exited;
    }
  });
});
