import { describe, expect, it } from 'vitest';
import { takeApiConfig } from '@haidang/api';
import { loadConfig } from '@haidang/stream';
import { readCompose } from './setup/compose-file.ts';

/**
 * infra/docker-compose.cluster.yml cannot run here (no Docker engine), so it is read as data,
 * like tests/docker-compose.test.ts: 2 shards × 2 replicas over ClickHouse Keeper, one
 * configuration for every server whose macros come from each server's environment, the cluster
 * in remote_servers named as the services' HAIDANG_CLICKHOUSE_CLUSTER, and each haidang service's
 * environment accepted by the start-up validation.
 */
const compose = readCompose('docker-compose.cluster.yml');
const services = compose.services;
const servers = Object.entries(services).filter(([, s]) => s.image.startsWith('clickhouse/clickhouse-server:'));
const haidang = Object.entries(services).filter(([, s]) => s.command?.startsWith('node bin/haidang.mjs'));
const clusterXml = compose.configs['clickhouse-cluster']!.content;
const substitute = (v: string | number) => String(v).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, _n: string, op?: string, rest?: string) => (op === '-' ? (rest ?? '') : 'x'.repeat(40)));

describe('infra/docker-compose.cluster.yml', () => {
  it('runs four ClickHouse servers, two shards of two replicas, each with its own data and macros', () => {
    expect(servers.map(([n]) => n).sort()).toEqual(['ch-s1r1', 'ch-s1r2', 'ch-s2r1', 'ch-s2r2']);
    const macros = servers.map(([n, s]) => [n, String(s.environment!.CLICKHOUSE_SHARD), String(s.environment!.CLICKHOUSE_REPLICA)]);
    expect(macros.sort()).toEqual([
      ['ch-s1r1', '1', 'ch-s1r1'],
      ['ch-s1r2', '1', 'ch-s1r2'],
      ['ch-s2r1', '2', 'ch-s2r1'],
      ['ch-s2r2', '2', 'ch-s2r2'],
    ]);
    // no two servers share a data volume
    expect(new Set(servers.map(([, s]) => s.volumes![0]!.split(':')[0])).size).toBe(4);
    for (const [n, s] of servers) {
      expect(s.configs!.map((c) => c.source).sort(), n).toEqual(['clickhouse-cluster', 'clickhouse-profile']);
      expect(s.depends_on?.keeper?.condition, n).toBe('service_healthy');
      expect(s.environment!.CLICKHOUSE_DB, n).toBe('haidang');
    }
    // the macros the replicated tables' paths use come from that environment
    expect(clusterXml).toContain('<shard from_env="CLICKHOUSE_SHARD"/>');
    expect(clusterXml).toContain('<replica from_env="CLICKHOUSE_REPLICA"/>');
  });

  it('names the same servers in remote_servers, shard by shard, with internal replication, and Keeper for coordination', () => {
    const cluster = /<remote_servers>\s*<(\w+)>([\s\S]*?)<\/\1>\s*<\/remote_servers>/.exec(clusterXml)!;
    expect(cluster[1]).toBe('haidang');
    const shards = [...cluster[2]!.matchAll(/<shard>([\s\S]*?)<\/shard>/g)].map(([, body]) => {
      expect(body).toContain('<internal_replication>true</internal_replication>');
      return [...body!.matchAll(/<host>([\w-]+)<\/host>/g)].map(([, h]) => h);
    });
    expect(shards).toEqual([
      ['ch-s1r1', 'ch-s1r2'],
      ['ch-s2r1', 'ch-s2r2'],
    ]);
    // each host's shard macro is the shard it is listed in
    shards.forEach((hosts, i) => hosts.forEach((h) => expect(String(services[h!]!.environment!.CLICKHOUSE_SHARD)).toBe(String(i + 1))));
    const keeper = /<zookeeper>\s*<node><host>([\w-]+)<\/host><port>(\d+)<\/port><\/node>/.exec(clusterXml)!;
    expect(services[keeper[1]!]!.image).toMatch(/^clickhouse\/clickhouse-keeper:/);
    expect(compose.configs.keeper!.content).toContain(`<tcp_port>${keeper[2]}</tcp_port>`);
    // inserts through the Distributed tables are synchronous, so a stored batch is stored on its shard
    expect(compose.configs['clickhouse-profile']!.content).toContain('<distributed_foreground_insert>1</distributed_foreground_insert>');
  });

  it('tells every haidang service the cluster by that name, with a server of it, and the start-up accepts it', () => {
    expect(haidang.map(([n]) => n).sort()).toEqual(['api', 'ingest', 'migrate', 'stream']);
    for (const [name, s] of haidang) {
      const env = Object.fromEntries(Object.entries(s.environment ?? {}).filter(([k]) => k !== 'NODE_OPTIONS').map(([k, v]) => [k, substitute(v)]));
      const rest = { ...env };
      takeApiConfig(rest);
      const config = loadConfig(rest);
      expect(config.HAIDANG_CLICKHOUSE_CLUSTER, name).toBe('haidang');
      const url = new URL(config.CLICKHOUSE_URL!);
      expect(servers.map(([n]) => `${n}:8123`), name).toContain(url.host);
      expect(url.pathname.slice(1), name).toBe('haidang');
    }
    // the schema once, on every server (ON CLUSTER), before the services start
    for (const name of ['stream', 'api']) expect(services[name]!.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    for (const [n] of servers) expect(services.migrate!.depends_on?.[n]?.condition).toBe('service_healthy');
    for (const s of Object.values(services)) for (const dep of Object.keys(s.depends_on ?? {})) expect(Object.keys(services)).toContain(dep);
  });
});
