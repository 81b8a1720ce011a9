import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRewriteError, onCluster } from '../src/store/cluster-sql.ts';
import { migrations } from '../src/store/migration.ts';
import { loadConfig } from '../src/config.ts';
import { HaiDangError } from '../src/errors.ts';
import { openStore, type Store } from '../src/store/client.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// the cluster variant of every frozen migration, in order, as `haidang migrate` applies it
const tables = new Set<string>();
const generated = migrations.flatMap((m) => onCluster(m.statements, 'haidang', tables).map((sql) => ({ migration: m.id, sql })));
const creates = generated.filter((g) => g.sql.startsWith('CREATE TABLE'));
const locals = creates.filter((g) => /^CREATE TABLE IF NOT EXISTS \w+_local /.test(g.sql));
const fronts = creates.filter((g) => g.sql.includes('ENGINE = Distributed('));
const views = generated.filter((g) => g.sql.startsWith('CREATE MATERIALIZED VIEW'));

// chDB: ClickHouse's own parser, no cluster needed
let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'haidang-cluster-sql-')) });
});
afterAll(async () => store.close());

describe('the cluster variant of the frozen migrations (HAIDANG_CLICKHOUSE_CLUSTER)', () => {
  it('every generated statement parses with ClickHouse’s own parser (formatQuery in chDB)', async () => {
    expect(generated.length).toBeGreaterThan(migrations.reduce((n, m) => n + m.statements.length, 0));
    for (const g of generated) {
      const rs = await store.client.query({ query: 'SELECT formatQuery({q:String}) AS f', query_params: { q: g.sql }, format: 'JSONEachRow' });
      const [row] = await rs.json<{ f: string }>();
      expect(row!.f, `migration ${g.migration}: ${g.sql.slice(0, 120)}`).toMatch(/^(CREATE|DROP|INSERT)/);
    }
  });

  it('every table is a replicated one ON CLUSTER, keyed by shard, database and table name, with {replica}', () => {
    expect(locals.length).toBeGreaterThan(20);
    for (const g of locals) {
      expect(g.sql).toMatch(/ ON CLUSTER haidang \(/);
      expect(g.sql).toMatch(/ENGINE = Replicated(Replacing|Aggregating)?MergeTree\('\/clickhouse\/tables\/\{shard\}\/\{database\}\/\{table\}', '\{replica\}'/);
      expect(g.sql).not.toContain('non_replicated_deduplication_window');
    }
    // the version column of a ReplacingMergeTree stays its argument
    expect(locals.find((g) => g.sql.includes('capacity_latest_local'))!.sql).toMatch(/ReplicatedReplacingMergeTree\('[^']+', '\{replica\}', ver\)/);
    // raw tables keep their deduplication window, now the replicas' own
    expect(locals.find((g) => g.sql.includes('capacity_raw_local'))!.sql).toContain('SETTINGS replicated_deduplication_window = 10000');
  });

  it('a distributed table with the original name stands in front of each, sharded by entity where it has one', () => {
    expect(fronts.map((g) => g.sql.match(/AS (\w+)_local/)![1]).sort()).toEqual(locals.map((g) => g.sql.match(/EXISTS (\w+)_local/)![1]).sort());
    const front = (t: string) => fronts.find((g) => g.sql.startsWith(`CREATE TABLE IF NOT EXISTS ${t} `))!.sql;
    expect(front('capacity_raw')).toBe(`CREATE TABLE IF NOT EXISTS capacity_raw ON CLUSTER haidang AS capacity_raw_local ENGINE = Distributed(haidang, currentDatabase(), capacity_raw_local, cityHash64(entity))`);
    expect(front('capacity_1h')).toMatch(/cityHash64\(entity\)\)$/);
    expect(front('log_positions')).toMatch(/cityHash64\(topic\)\)$/);
    expect(front('deadletter')).toMatch(/cityHash64\(topic\)\)$/);
  });

  it('materialised views fire on the shard the rows went to: they read and write local tables', () => {
    expect(views.length).toBeGreaterThan(10);
    for (const g of views) {
      expect(g.sql).toMatch(/^CREATE MATERIALIZED VIEW IF NOT EXISTS \w+ ON CLUSTER haidang TO \w+_local AS /);
      for (const [, t] of g.sql.matchAll(/\bFROM\s+(\w+)/g)) expect(t, g.sql.slice(0, 100)).toMatch(/_local$/);
    }
    // a view created by a later migration reads a table of an earlier one locally
    expect(views.find((g) => g.sql.includes('capacity_ids_mv'))!.sql).toContain('FROM capacity_raw_local');
  });

  it('dropping a table drops its distributed front and its local table on every server', () => {
    const drops = generated.filter((g) => g.sql.startsWith('DROP TABLE IF EXISTS capacity_1m'));
    expect(drops.map((g) => g.sql)).toEqual(['DROP TABLE IF EXISTS capacity_1m ON CLUSTER haidang SYNC', 'DROP TABLE IF EXISTS capacity_1m_local ON CLUSTER haidang SYNC']);
  });

  it('refuses a statement it has no rule for, and a cluster name that is not an identifier', () => {
    expect(() => onCluster(['ALTER TABLE capacity_raw ADD COLUMN x UInt8'], 'haidang')).toThrow(ClusterRewriteError);
    expect(() => onCluster(['CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = Memory'], 'haidang')).toThrow(ClusterRewriteError);
    expect(() => onCluster([], 'x; DROP')).toThrow(ClusterRewriteError);
  });
});

describe('HAIDANG_CLICKHOUSE_CLUSTER', () => {
  it('is validated: a cluster name, with a server URL', () => {
    expect(loadConfig({ HAIDANG_CLICKHOUSE_CLUSTER: 'haidang', CLICKHOUSE_URL: 'http://ch1:8123' }).HAIDANG_CLICKHOUSE_CLUSTER).toBe('haidang');
    expect(() => loadConfig({ HAIDANG_CLICKHOUSE_CLUSTER: 'hai dang', CLICKHOUSE_URL: 'http://ch1:8123' })).toThrow(HaiDangError);
    expect(() => loadConfig({ HAIDANG_CLICKHOUSE_CLUSTER: 'haidang' })).toThrow(/needs CLICKHOUSE_URL/);
  });
});
