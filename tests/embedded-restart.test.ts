import { expect, it } from 'vitest';
import { sql, startHaidang, tempDir, type Service } from './setup/processes.ts';
import { freePort } from './setup/ports.ts';

/**
 * The default mode, restarted as an operator would: every push the server answered 202 is
 * in the store exactly once, after a clean stop (SIGTERM) and after a SIGKILL. Before the
 * in-process log kept its positions, its offsets began at 0 again while the store held the
 * old ones, and the first batch after a restart was skipped as "already stored".
 */
const password = 'restart-admin-password-1';

async function startEmbedded(dataDir: string, simRate: number, extra: Record<string, string> = {}): Promise<{ svc: Service; url: string }> {
  const svc = startHaidang(['start', '--rate', String(simRate), '--port', '0'], { HAIDANG_DATA_DIR: dataDir, KAFKA_BROKERS: '', CLICKHOUSE_URL: '', HAIDANG_ADMIN_PASSWORD: password, HAIDANG_SIM_HISTORY_HOURS: '1', ...extra });
  await svc.waitFor(/is running/, 120_000);
  const url = svc.output().match(/api at (http:\/\/[\d.:]+)\/api\/v1/)?.[1];
  if (!url) throw new Error(`no api URL in the log:\n${svc.output().slice(-2000)}`);
  return { svc, url };
}

async function sourceKey(url: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const created = await fetch(`${url}/api/v1/sources/keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ source: 'restart-test', streams: ['capacity'], entities: ['bv-vung-tau-hscc', 'bv-vung-tau-covid'] }) });
  expect(created.status).toBeLessThan(300);
  return ((await created.json()) as { key: string }).key;
}

/** pushes `n` capacity reports; returns the ids of the 202 answer */
async function push(url: string, key: string, round: number, n: number, idempotencyKey?: string): Promise<string[]> {
  const res = await send(url, key, round, n, idempotencyKey);
  const body = (await res.json()) as { items: Array<{ status: string; id: string }> };
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(202);
  return body.items.map((it) => it.id);
}

function send(url: string, key: string, round: number, n: number, idempotencyKey?: string, signal?: AbortSignal): Promise<Response> {
  const items = Array.from({ length: n }, (_, i) => ({
    entity: i % 2 ? 'bv-vung-tau-hscc' : 'bv-vung-tau-covid',
    observedAt: new Date(Date.UTC(2022, 7, 1, round, i)).toISOString(),
    payload: { tier: 2, bedsTotal: 200, bedsOccupied: 100 + i, oxygenBedsTotal: 80, oxygenBedsOccupied: 60, patientsBySupport: { mask: 40, hfnc: 10, niv: 5, invasive: 4, ecmo: 1 }, icuBedsTotal: 20, icuBedsOccupied: 10, ventilatorsTotal: 15, ventilatorsInUse: 5, oxygenStockLitres: 120000 },
  }));
  return fetch(`${url}/ingest/v1/capacity`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) }, body: JSON.stringify(items), ...(signal ? { signal } : {}) });
}

/** each id the test's source pushed, with how many rows the store holds of it */
const storedCopies = (dataDir: string) => sql<{ id: string; n: string }>(dataDir, "SELECT toString(id) AS id, count() AS n FROM capacity_raw WHERE source = 'restart-test' GROUP BY id");

/** rows and distinct ids over every stream's raw table (the simulator's events included) */
async function everyStream(dataDir: string): Promise<{ stored: number; unique: number }> {
  const [all] = await sql<{ n: string; u: string }>(dataDir, 'SELECT sum(n) AS n, sum(u) AS u FROM (SELECT count() n, uniqExact(id) u FROM capacity_raw UNION ALL SELECT count(), uniqExact(id) FROM vaccination_raw UNION ALL SELECT count(), uniqExact(id) FROM prices_raw UNION ALL SELECT count(), uniqExact(id) FROM dossiers_raw)');
  return { stored: Number(all!.n), unique: Number(all!.u) };
}

it('every event answered 202 is stored exactly once across restarts of `haidang start` (SIGTERM, SIGKILL)', async () => {
  const dataDir = tempDir('embedded-restart');
  const confirmed: string[] = [];
  const rounds: Array<{ stop: 'SIGTERM' | 'SIGKILL'; pushed: number }> = [];
  let key = '';
  for (const [round, stop] of (['SIGTERM', 'SIGKILL', 'SIGTERM'] as const).entries()) {
    // the middle run has the simulator on too: its events share the log with the pushes when the process is killed
    const { svc, url } = await startEmbedded(dataDir, round === 1 ? 20 : 0);
    key ||= await sourceKey(url);
    // two pushes per run: the first batch after a start is the one that used to be skipped
    for (const part of [0, 1]) confirmed.push(...(await push(url, key, round * 2 + part, 5)));
    rounds.push({ stop, pushed: 10 });
    svc.signal(stop);
    const exit = await svc.exited;
    if (stop === 'SIGKILL') expect(exit.signal).toBe('SIGKILL');
    else expect(exit.code, svc.output().slice(-2000)).toBe(0);
  }
  const stored = await storedCopies(dataDir);
  const copies = new Map(stored.map((r) => [r.id, Number(r.n)]));
  const figures = { scenario: 'embedded restarts (SIGTERM, SIGKILL, SIGTERM)', confirmed: confirmed.length, unique: new Set(confirmed).size, stored: stored.reduce((a, r) => a + Number(r.n), 0), storedIds: copies.size, missing: confirmed.filter((id) => !copies.has(id)).length, doubled: stored.filter((r) => Number(r.n) > 1).length };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  expect(figures).toMatchObject({ confirmed: 30, unique: 30, stored: 30, storedIds: 30, missing: 0, doubled: 0 });
  // and nothing the simulator confirmed is doubled either
  const all = await everyStream(dataDir);
  process.stdout.write(`${JSON.stringify({ scenario: 'embedded restarts, every stream', stored: all.stored, unique: all.unique })}\n`);
  expect(all.stored).toBeGreaterThan(30);
  expect(all.stored).toBe(all.unique);
}, 600_000);

it('SIGKILL between the insert and the commit in the embedded mode: the client retries with its Idempotency-Key after the restart, and each event is stored once', async () => {
  const dataDir = tempDir('embedded-kill-before-commit');
  const first = await startEmbedded(dataDir, 0);
  const key = await sourceKey(first.url);
  first.svc.signal('SIGTERM');
  expect((await first.svc.exited).code).toBe(0);
  // this run dies right after the store took the push's batch, before the log commits it: no answer
  const dying = await startEmbedded(dataDir, 0, { HAIDANG_FAULT_KILL_AFTER_BATCHES: '1' });
  const lost = await send(dying.url, key, 0, 8, 'ward-report-1').then((r) => r.status, (e: Error) => e.message);
  expect((await dying.svc.exited).signal).toBe('SIGKILL');
  expect(lost).not.toBe(202);
  // the client retries the same request after the restart: same ids (Idempotency-Key), nothing stored twice
  const again = await startEmbedded(dataDir, 0);
  const ids = await push(again.url, key, 0, 8, 'ward-report-1');
  // and the log goes on after the kill: a new push is stored too
  ids.push(...(await push(again.url, key, 1, 4)));
  again.svc.signal('SIGTERM');
  expect((await again.svc.exited).code).toBe(0);
  const stored = await storedCopies(dataDir);
  const figures = { scenario: 'embedded: SIGKILL after insert, before commit; client retries', confirmed: ids.length, stored: stored.reduce((a, r) => a + Number(r.n), 0), missing: ids.filter((id) => !stored.some((r) => r.id === id)).length, doubled: stored.filter((r) => Number(r.n) > 1).length };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  expect(figures).toMatchObject({ confirmed: 12, stored: 12, missing: 0, doubled: 0 });
}, 600_000);

it('SIGKILL inside an insert (raw written, its views not yet): the next start completes the views, and the client\'s retry is stored once', async () => {
  const dataDir = tempDir('embedded-torn-insert');
  const first = await startEmbedded(dataDir, 0);
  const key = await sourceKey(first.url);
  first.svc.signal('SIGTERM');
  expect((await first.svc.exited).code).toBe(0);
  // a view that takes seconds, so the kill lands after raw took the block and before the views did
  await sql(dataDir, 'CREATE TABLE slow_t (id UUID, z UInt8) ENGINE = MergeTree ORDER BY id');
  await sql(dataDir, 'CREATE MATERIALIZED VIEW slow_mv TO slow_t AS SELECT id, sleepEachRow(0.3) AS z FROM capacity_raw');
  const port = await freePort();
  const dying = await startEmbedded(dataDir, 0, { HAIDANG_STORE_PORT: String(port), HAIDANG_STORE_HTTP_PASSWORD: 'torn-test-pw' });
  const lost = send(dying.url, key, 0, 8, 'ward-report-torn').then((r) => r.status, (e: Error) => e.message);
  const auth = { Authorization: `Basic ${Buffer.from('grafana:torn-test-pw').toString('base64')}` };
  for (let i = 0; i < 400; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: "SELECT count() FROM capacity_raw WHERE source = 'restart-test'", headers: auth });
    if ((await r.text()).trim() !== '0') break;
    await new Promise((ok) => setTimeout(ok, 25));
  }
  dying.svc.signal('SIGKILL');
  expect((await dying.svc.exited).signal).toBe('SIGKILL');
  expect(await lost).not.toBe(202);
  // the tear itself: raw holds the block, the ids table (every view) does not
  const [torn] = await sql<{ raw: number; ids: number }>(dataDir, "SELECT (SELECT count() FROM capacity_raw WHERE source = 'restart-test') AS raw, (SELECT count() FROM capacity_ids_by_time WHERE id IN (SELECT id FROM capacity_raw WHERE source = 'restart-test')) AS ids");
  expect([Number(torn!.raw), Number(torn!.ids)]).toEqual([8, 0]);
  await sql(dataDir, 'DROP VIEW slow_mv');
  // the client retries the same request after the restart: the views were completed first, so nothing is stored twice
  const again = await startEmbedded(dataDir, 0);
  const ids = await push(again.url, key, 0, 8, 'ward-report-torn');
  again.svc.signal('SIGTERM');
  expect((await again.svc.exited).code).toBe(0);
  const stored = await storedCopies(dataDir);
  const [views] = await sql<{ ids: string; reports: string; latest: string }>(dataDir, "SELECT (SELECT count() FROM capacity_ids_by_time FINAL WHERE id IN (SELECT id FROM capacity_raw WHERE source = 'restart-test')) AS ids, (SELECT sum(r) FROM (SELECT uniqExactMerge(reports) AS r FROM capacity_1h GROUP BY entity, tier, bucket)) AS reports, (SELECT count() FROM capacity_latest FINAL WHERE source = 'restart-test') AS latest");
  const figures = { scenario: 'embedded: SIGKILL inside an insert (torn); client retries', confirmed: ids.length, stored: stored.reduce((a, r) => a + Number(r.n), 0), missing: ids.filter((id) => !stored.some((r) => r.id === id)).length, doubled: stored.filter((r) => Number(r.n) > 1).length, ids: Number(views!.ids), reports: Number(views!.reports), latest: Number(views!.latest) };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  expect(figures).toMatchObject({ confirmed: 8, stored: 8, missing: 0, doubled: 0, ids: 8, reports: 8, latest: 2 });
  expect(again.svc.output()).toMatch(/completed an insert an unclean stop had left unfinished/);
}, 600_000);

it('SIGSTOP of `haidang start` past the clients\' timeouts, then SIGCONT: the requests the kernel held are answered or retried, every confirmed event is stored once, and the process is ready again', async () => {
  const dataDir = tempDir('embedded-sigstop');
  // the simulator on: its timers and the log's keep running right up to the stop, and all fire at once after it
  const { svc, url } = await startEmbedded(dataDir, 20);
  const key = await sourceKey(url);
  const ids = await push(url, key, 0, 5);
  svc.signal('SIGSTOP');
  try {
    // sent while the process is frozen: the kernel accepts the connection, nobody answers, the client gives up (its own 10 s timeout)
    const frozen = await Promise.allSettled([0, 1, 2].map((k) => send(url, key, 1 + k, 6, `frozen-${k}`, AbortSignal.timeout(10_000))));
    expect(frozen.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // frozen longer than the live sockets' ping timeout and the log's and health checks' periods
    await new Promise((r) => setTimeout(r, 15_000));
  } finally {
    svc.signal('SIGCONT');
  }
  // the clients retry with the same Idempotency-Key, while the server may still be answering the
  // requests it found waiting: same ids either way, each stored once
  for (const k of [0, 1, 2]) ids.push(...(await push(url, key, 1 + k, 6, `frozen-${k}`)));
  ids.push(...(await push(url, key, 9, 4)));
  let ready = 0;
  for (let i = 0; i < 60 && ready !== 200; i++) {
    ready = (await fetch(`${url}/readyz`)).status;
    if (ready !== 200) await new Promise((r) => setTimeout(r, 500));
  }
  expect(ready, svc.output().slice(-2000)).toBe(200);
  svc.signal('SIGTERM');
  expect((await svc.exited).code, svc.output().slice(-2000)).toBe(0);
  const stored = await storedCopies(dataDir);
  const figures = { scenario: 'embedded: SIGSTOP 25 s with requests held, SIGCONT, clients retry', confirmed: ids.length, unique: new Set(ids).size, stored: stored.reduce((a, r) => a + Number(r.n), 0), missing: ids.filter((id) => !stored.some((r) => r.id === id)).length, doubled: stored.filter((r) => Number(r.n) > 1).length };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  expect(figures).toMatchObject({ confirmed: 27, unique: 27, stored: 27, missing: 0, doubled: 0 });
  const all = await everyStream(dataDir);
  expect(all.stored).toBe(all.unique);
}, 600_000);

