import { spawn } from 'node:child_process';
import { createClient } from '@clickhouse/client';
import { expect, it } from 'vitest';
import { sleep } from './faults/cluster.ts';
import { freePortBlock } from './setup/ports.ts';
import { repoRoot, tempDir } from './setup/processes.ts';

/**
 * `npm run distributed` (infra/run-distributed.sh): a Kafka broker, `haidang store`, two
 * `haidang stream` workers, `haidang api --alerts` and `haidang ingest` as separate processes
 * on loopback. They all become ready, ingest publishes, the two workers share the partitions
 * and both store events, and stopping the script stops every one of them.
 */
const metric = async (url: string, name: string) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'gm'))].reduce((a, m) => a + Number(m[1]), 0);
};

it('starts the whole distributed set, ingest publishes, both workers store, and one signal stops it all', async () => {
  // the script starts its listeners one after another, on the ports it is given: broker + controller, store, api, store/stream-1/stream-2/ingest ops
  const [kafkaPort, storePort, apiPort, opsBase] = [await freePortBlock(2), await freePortBlock(1), await freePortBlock(1), await freePortBlock(4)];
  const dir = tempDir('distributed');
  const run = spawn('bash', [`${repoRoot}/infra/run-distributed.sh`, '--rate', '300'], {
    cwd: repoRoot,
    env: { ...process.env, HAIDANG_DIST_DIR: dir, KAFKA_PORT: String(kafkaPort), STORE_PORT: String(storePort), API_PORT: String(apiPort), OPS_BASE: String(opsBase), HAIDANG_SIM_HISTORY_HOURS: '1', HAIDANG_PARTITIONS: '4' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  run.stdout.on('data', (d) => (out += d));
  run.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => run.on('exit', r));
  try {
    const t0 = Date.now();
    while (!/Ctrl-C stops everything/.test(out)) {
      if (run.exitCode !== null || Date.now() - t0 > 150_000) throw new Error(`not ready:\n${out.slice(-4000)}`);
      await sleep(250);
    }
    const ops = [opsBase + 1, opsBase + 2].map((p) => `http://127.0.0.1:${p}`);
    const ingest = `http://127.0.0.1:${opsBase + 3}`;
    for (const url of [`http://127.0.0.1:${opsBase}`, ...ops, `http://127.0.0.1:${apiPort}`, ingest]) {
      expect((await fetch(`${url}/readyz`)).status, url).toBe(200);
    }
    // ingest publishes, and each worker stores its share (no other process is in their group)
    const t1 = Date.now();
    let stored = [0, 0];
    let published = 0;
    while ((published === 0 || stored.some((n) => n === 0)) && Date.now() - t1 < 60_000) {
      published = await metric(ingest, 'haidang_events_published_total');
      stored = await Promise.all(ops.map((u) => metric(u, 'haidang_events_out_total')));
      await sleep(500);
    }
    expect(published, 'events published by ingest').toBeGreaterThan(0);
    expect(stored.every((n) => n > 0), `stored per worker: ${stored}`).toBe(true);
    expect(out).toMatch(/\[api\].*alerts: judging the rules/);
    // the api serves the dashboard
    const wall = await fetch(`http://127.0.0.1:${apiPort}/`);
    expect(wall.status).toBe(200);
    expect(wall.headers.get('content-type')).toMatch(/text\/html/);
    const password = out.match(/password (\S+)\s+\(chDB/)![1]!;
    const client = createClient({ url: `http://127.0.0.1:${storePort}`, username: 'haidang', password });
    const rs = await client.query({ query: 'SELECT count() AS n, uniqExact(id) AS u FROM capacity_raw', format: 'JSONEachRow' });
    const [row] = await rs.json<{ n: string; u: string }>();
    await client.close();
    expect(Number(row!.n)).toBeGreaterThan(0);
    expect(Number(row!.n)).toBe(Number(row!.u));
    process.stdout.write(`${JSON.stringify({ scenario: 'distributed run', published, storedPerWorker: stored, capacityRows: Number(row!.n) })}\n`);
  } finally {
    run.kill('SIGTERM');
    expect(await exited).not.toBeNull();
  }
  expect(out).toMatch(/all stopped/);
  for (const name of ['ingest', 'api', 'stream-2', 'stream-1', 'store']) expect(out).toContain(`${name} stopped`);
  // each service stopped on the signal itself (finishing its work), none had to be killed
  for (const name of ['ingest', 'api', 'stream-2', 'stream-1']) expect(out).toMatch(new RegExp(`\\[${name}\\] .*stopped cleanly`));
  // nothing listens any more
  await expect(fetch(`http://127.0.0.1:${apiPort}/healthz`)).rejects.toThrow();
  for (const port of [opsBase, opsBase + 1, opsBase + 2, opsBase + 3]) await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
}, 300_000);
