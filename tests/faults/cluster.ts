import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, expect } from 'vitest';
import { TopicNames } from '@haidang/stream';
import { freePortBlock } from '../setup/ports.ts';
import { kafkaClient, scenario, startHaidang, tempDir, type Service } from '../setup/processes.ts';

/**
 * The pieces of the fault tests: `haidang store` (chDB behind ClickHouse HTTP, the one
 * process that opens the folder), `haidang stream` workers pointed at it with
 * CLICKHOUSE_URL, and the invariants every scenario ends with. Real processes throughout:
 * the process is the point (kill -9).
 */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const user = 'haidang';
const password = `faults-${process.pid}`;

export interface StoreProcess {
  service: Service;
  /** where clients connect (credentials apart) */
  url: string;
  port: number;
  dataDir: string;
  /** a client of the test itself, for the figures */
  client: ClickHouseClient;
  /** start it again on the same port and folder (after a kill) */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function startStore(name: string): Promise<StoreProcess> {
  // restarted on the same port after a kill: below the ephemeral range, where nothing takes it meanwhile
  const port = await freePortBlock(1);
  const dataDir = tempDir(`${name}-store`);
  const launch = async () => {
    const svc = startHaidang(['store'], { HAIDANG_DATA_DIR: dataDir, HAIDANG_STORE_PORT: String(port), HAIDANG_OPS_PORT: '0', CLICKHOUSE_USER: user, CLICKHOUSE_PASSWORD: password });
    await svc.waitFor(/store ready/);
    return svc;
  };
  const url = `http://127.0.0.1:${port}`;
  const store: StoreProcess = {
    service: await launch(),
    url,
    port,
    dataDir,
    client: createClient({ url, username: user, password, request_timeout: 60_000 }),
    async restart() {
      store.service = await launch();
    },
    async stop() {
      await store.client.close();
      if (store.service.alive()) {
        store.service.signal('SIGTERM');
        await store.service.exited;
      }
    },
  };
  return store;
}

export type Scenario = ReturnType<typeof scenario>;

/**
 * A fault-test file's context: a Kafka client of `brokers`, and what `afterAll` stops
 * (newest first), so a failing test leaves no process behind.
 */
export function faultSuite(brokers: string) {
  const kafka = kafkaClient(brokers);
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    await kafka.close();
  });
  return {
    brokers,
    kafka,
    /** runs `fn` after the file's tests */
    atEnd: (fn: () => Promise<void>) => void cleanups.push(fn),
    /** a scenario with its own topics (4 partitions), group and prefix */
    async scenario(name: string): Promise<Scenario & { topics: TopicNames; capacity: string }> {
      const s = scenario(name);
      const topics = new TopicNames(s.prefix);
      await kafka.ensureTopics(topics.all(), 4);
      return { ...s, topics, capacity: topics.of('capacity') };
    },
    /** a store that is stopped after the file's tests */
    async store(name: string): Promise<StoreProcess> {
      const store = await startStore(name);
      cleanups.push(() => store.stop());
      return store;
    },
  };
}

/** SIGTERM: each worker finishes its batch, commits and exits 0 */
export async function stopCleanly(...services: Service[]): Promise<void> {
  for (const svc of services) svc.signal('SIGTERM');
  for (const svc of services) expect((await svc.exited).code, svc.output().slice(-2000)).toBe(0);
}

/** the environment of a worker in this scenario, its store reached through CLICKHOUSE_URL */
export function workerEnv(brokers: string, s: Scenario, storeUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BROKERS: brokers, HAIDANG_TOPIC_PREFIX: s.prefix, HAIDANG_GROUP: s.group, CLICKHOUSE_URL: storeUrl, CLICKHOUSE_USER: user, CLICKHOUSE_PASSWORD: password,
    HAIDANG_BATCH_ROWS: '500', HAIDANG_SESSION_TIMEOUT_MS: '6000', HAIDANG_OPS_PORT: '0', ...extra,
  };
}

export async function startWorker(brokers: string, s: Scenario, storeUrl: string, extra: Record<string, string> = {}): Promise<Service> {
  const w = startHaidang(['stream'], workerEnv(brokers, s, storeUrl, extra));
  await w.waitFor(/partitions assigned/);
  // its store elsewhere, a worker on glibc hands the Buffers it frees back to the system (docs/benchmarks.md)
  await w.waitFor(/glibc allocator: freed Buffers go back to the system|"reason":"the C library is not glibc"/);
  // and one fetch brings two partitions' share at most, however many it owns (README, KAFKA_FETCH_MIB)
  await w.waitFor(/"fetchMib":8,"msg":"one fetch brings at most this many MiB for all partitions"/);
  return w;
}

/** the ops URL a service logged at start */
export function opsUrl(svc: Service): string {
  const m = svc.output().match(/ops: (http:\/\/[\d.:]+)\/healthz/);
  if (!m) throw new Error(`no ops URL in the log:\n${svc.output().slice(-2000)}`);
  return m[1]!;
}

/** "no service left dead": the process runs and its /healthz answers */
export async function expectAlive(...services: Service[]): Promise<void> {
  for (const svc of services) {
    expect(svc.alive(), svc.output().slice(-2000)).toBe(true);
    const res = await fetch(`${opsUrl(svc)}/healthz`);
    expect(res.status).toBe(200);
  }
}

async function one(client: ClickHouseClient, query: string): Promise<Record<string, number>> {
  const rs = await client.query({ query, format: 'JSONEachRow' });
  const [row] = await rs.json<Record<string, string | number>>();
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
}

export interface Figures {
  scenario: string;
  sent: number;
  stored: number;
  unique: number;
  duplicates: number;
  deadLettered: number;
  [more: string]: unknown;
}

/**
 * The invariant every scenario ends with: each valid event stored exactly once
 * (`count() = uniqExact(id) = valid`) and each invalid one dead-lettered with its reason.
 * `table` is where a KPI reads: `capacity_raw`, or `capacity_asof FINAL` where a source
 * resent events under new offsets. Prints the figures as one JSON line.
 */
export async function expectExactlyOnce(client: ClickHouseClient, o: { scenario: string; sent: number; valid: number; deadReasons?: Record<string, number>; table?: string; extra?: Record<string, unknown> }): Promise<Figures> {
  const table = o.table ?? 'capacity_raw';
  const r = await one(client, `SELECT count() AS n, uniqExact(id) AS u FROM ${table}`);
  const raw = await one(client, 'SELECT count() AS n, uniqExact(id) AS u FROM capacity_raw');
  const dead = await client.query({ query: 'SELECT reason, count() AS n FROM deadletter GROUP BY reason ORDER BY reason', format: 'JSONEachRow' });
  const reasons = Object.fromEntries((await dead.json<{ reason: string; n: string }>()).map((d) => [d.reason, Number(d.n)]));
  const deadLettered = Object.values(reasons).reduce((a, b) => a + b, 0);
  const figures: Figures = { scenario: o.scenario, sent: o.sent, stored: r.n!, unique: r.u!, duplicates: raw.n! - raw.u!, deadLettered, ...(deadLettered ? { reasons } : {}), ...o.extra };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  expect([figures.stored, figures.unique], `${table}: count() and uniqExact(id)`).toEqual([o.valid, o.valid]);
  expect(reasons).toEqual(o.deadReasons ?? {});
  return figures;
}
