import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { freePort } from './setup/ports.ts';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import Fastify from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem, problemErrorHandler } from '../api/src/http/problem.ts';
import { buildServer } from '../api/src/server.ts';
import { repoRoot, tempDir } from './setup/processes.ts';

/**
 * An outage is told, not dumped: with the store or the broker away the api answers 503 with the
 * catalogue's code and `Retry-After`, and a command prints one line with the code and exits
 * non-zero. The outages are real: ClickHouse's own client and kafkajs against a closed port.
 */

/** a port nothing listens on: bound by the system, then closed */
const closedPort = freePort;

const haidang = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin/haidang.mjs'), ...args], { cwd: repoRoot, env: { ...process.env, KAFKA_BROKERS: '', CLICKHOUSE_URL: '', LOG_LEVEL: 'info', ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

/** what a person sees on the terminal's error stream: its non-empty lines */
const lines = (stderr: string) => stderr.split('\n').filter((l) => l.trim());

let port: number;
beforeAll(async () => {
  port = await closedPort();
});

describe('a command with its store or server away prints one line with the code', () => {
  it('`haidang migrate` with the store down', async () => {
    const r = await haidang(['migrate', '--clickhouse', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^haidang: HD_STORE_UNAVAILABLE: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}.* \\(retryable\\)$`))]);
  });

  it('`haidang sql` with the store down', async () => {
    const r = await haidang(['sql', 'SELECT 1', '--clickhouse', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^haidang: HD_STORE_UNAVAILABLE: .* \(retryable\)$/)]);
  });

  it('`haidang import` with the server down', async () => {
    const file = join(tempDir('outage-import'), 'capacity.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const r = await haidang(['import', file, '--stream', 'capacity', '--key', 'k', '--url', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr).filter((l) => !l.startsWith('sent '))).toEqual([expect.stringMatching(/^haidang: HD_SERVER_UNREACHABLE: could not reach .* \(retryable\)$/)]);
  });

  it('a wrong flag or a missing variable: HD_CONFIG_INVALID, exit 2', async () => {
    const bad = await haidang(['migrate', '--partitions', 'many']);
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual([expect.stringMatching(/^haidang: HD_CONFIG_INVALID: invalid configuration: HAIDANG_PARTITIONS: .* \(not retryable\)$/)]);
    const noBroker = await haidang(['stream']);
    expect(noBroker.code).toBe(2);
    expect(lines(noBroker.stderr)).toEqual([expect.stringMatching(/^haidang: HD_CONFIG_INVALID: stream: set KAFKA_BROKERS .* \(not retryable\)$/)]);
  });

  it('a port another process holds: HD_CONFIG_INVALID naming the address and the settings, exit 2', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const { port: taken } = holder.address() as { port: number };
    try {
      const r = await haidang(['store', '--store-port', String(taken)], { HAIDANG_DATA_DIR: tempDir('outage-port'), CLICKHOUSE_USER: 'haidang', CLICKHOUSE_PASSWORD: 'outage-port-password' });
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^haidang: HD_CONFIG_INVALID: 127\\.0\\.0\\.1:${taken} is already in use: set another port \\(HAIDANG_PORT, HAIDANG_OPS_PORT or HAIDANG_STORE_PORT.* \\(not retryable\\)$`))]);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });
});

describe('the api answers an outage with 503, its code and Retry-After', () => {
  const app = Fastify();
  beforeAll(async () => {
    const client = createClient({ url: `http://127.0.0.1:${port}`, request_timeout: 5_000, log: { level: 127 } });
    app.setErrorHandler(problemErrorHandler(pino({ level: 'silent' })));
    app.get('/store', async () => (await client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json());
    app.get('/log', async () => {
      const producer = new Kafka({ brokers: [`127.0.0.1:${port}`], connectionTimeout: 1_000, retry: { retries: 0 }, logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      return { connected: true };
    });
    app.get('/bug', async () => {
      throw new TypeError('x is not a function');
    });
    app.get('/no-such-user', (_req, reply) => problem(reply, 404, 'No such user', 'user "x" does not exist'));
    app.addHook('onClose', () => client.close());
    await app.ready();
  });
  afterAll(() => app.close());

  it.each([
    ['/store', 'HD_STORE_UNAVAILABLE', /store/],
    ['/log', 'HD_TRANSPORT_UNAVAILABLE', /Kafka/],
  ])('%s → 503 %s', async (url, code, detail) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 503, code, detail: expect.stringMatching(detail) });
  });

  it('a bug is a 500 with HD_INTERNAL and no Retry-After', async () => {
    const res = await app.inject({ url: '/bug' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.json()).toMatchObject({ code: 'HD_INTERNAL', title: 'Internal error' });
  });

  it('an answer that names no code gets the catalogue’s code for its status', async () => {
    const res = await app.inject({ url: '/no-such-user' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'HD_API_NOT_FOUND', title: 'No such user' });
  });
});

describe('the api over a store that accepts connections and never answers', () => {
  // built, not started: building touches no store, so the api comes up over one that hangs
  const sockets = new Set<Socket>();
  const hang = createServer((s) => void sockets.add(s));
  let client: ReturnType<typeof createClient>;
  let api: Awaited<ReturnType<typeof buildServer>>;
  beforeAll(async () => {
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    client = createClient({ url: `http://127.0.0.1:${(hang.address() as { port: number }).port}`, request_timeout: 500, log: { level: 127 } });
    api = await buildServer({ store: client, logger: pino({ level: 'silent' }), auth: { adminPassword: 'outage-admin-password-1', sessionSecret: 's'.repeat(48), sessionHours: 1, cookieSecure: false }, reads: false });
  });
  afterAll(async () => {
    await api.close();
    await client.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => hang.close(r));
  });

  it('signing in when the store times out is 503 HD_STORE_UNAVAILABLE with Retry-After, not 500 HD_INTERNAL', async () => {
    const res = await api.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'outage-admin-password-1' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ status: 503, code: 'HD_STORE_UNAVAILABLE', detail: expect.stringMatching(/store/) });
  });
});
