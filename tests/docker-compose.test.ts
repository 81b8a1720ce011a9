import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { apiConfigSchema, takeApiConfig } from '@haidang/api';
import { configSchema, loadConfig } from '@haidang/stream';
import { readCompose } from './setup/compose-file.ts';
import { repoRoot } from './setup/processes.ts';

/**
 * infra/docker-compose.yml cannot run here (no Docker engine, and `docker compose config` needs
 * the CLI), so it is read as data: the distributed set is there, each service runs a
 * `haidang` command with flags that command has, and its environment passes the same
 * validation the command runs at start (after Compose's `${VAR:-default}` substitution).
 */
const compose = readCompose('docker-compose.yml');
const services = compose.services;
const haidang = Object.entries(services).filter(([, s]) => s.command?.startsWith('node bin/haidang.mjs'));

/** Compose's interpolation: the default when there is one, a long placeholder for required values */
function substitute(value: string | number): string {
  return String(value).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, _name: string, op?: string, rest?: string) => (op === '-' ? (rest ?? '') : 'x'.repeat(40)));
}

const help = async (command: string) => (await promisify(execFile)(process.execPath, [join(repoRoot, 'bin/haidang.mjs'), command, '--help'], { cwd: repoRoot })).stdout;

describe('infra/docker-compose.yml', () => {
  it('runs the distributed set: Kafka, a ClickHouse server, migrate once, two stream workers, api (the alert judge) and ingest', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'clickhouse', 'ingest', 'kafka', 'migrate', 'stream']);
    expect(services.kafka!.image).toMatch(/^apache\/kafka:/);
    expect(services.clickhouse!.image).toMatch(/^clickhouse\/clickhouse-server:/);
    const commandOf = (name: string) => services[name]!.command!.split(/\s+/).slice(2);
    expect(commandOf('migrate')).toEqual(['migrate']);
    expect(commandOf('stream')[0]).toBe('stream');
    expect(services.stream!.deploy?.replicas).toBe(2);
    expect(commandOf('ingest')[0]).toBe('ingest');
    // exactly one judge of the alert rules, never replicated
    expect(haidang.filter(([, s]) => s.command!.includes('--alerts')).map(([n]) => n)).toEqual(['api']);
    expect(services.api!.deploy?.replicas ?? 1).toBe(1);
    // order: the schema before the services; the judge listening before ingest publishes
    for (const name of ['stream', 'api']) expect(services[name]!.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(services.ingest!.depends_on?.api?.condition).toBe('service_healthy');
    for (const s of Object.values(services)) for (const dep of Object.keys(s.depends_on ?? {})) expect(Object.keys(services)).toContain(dep);
    // ingest publishes only: no store without pollers
    expect(services.ingest!.command).not.toMatch(/--pollers/);
  });

  it("gives each service a command and flags `haidang` has, and an environment its start-up accepts", async () => {
    const known = new Set([...Object.keys(configSchema.shape), ...Object.keys(apiConfigSchema.shape)]);
    for (const [name, s] of haidang) {
      const [command, ...flags] = s.command!.split(/\s+/).slice(2);
      const text = await help(command!);
      for (const flag of flags.filter((f) => f.startsWith('--'))) expect(text, `${name}: ${flag}`).toContain(flag);
      // Node's own options (NODE_OPTIONS: the young generation's size) are Node's, not haidang's
      const env = Object.fromEntries(Object.entries(s.environment ?? {}).filter(([k]) => k !== 'NODE_OPTIONS').map(([k, v]) => [k, substitute(v)]));
      if (s.environment?.NODE_OPTIONS) expect(String(s.environment.NODE_OPTIONS), name).toMatch(/^(--[\w-]+=\S+\s*)+$/);
      for (const key of Object.keys(env)) expect(known, `${name}: ${key} is not a haidang setting`).toContain(key);
      // what the command does at start: the api takes its keys out, the rest must pass loadConfig
      const rest = { ...env };
      expect(() => takeApiConfig(rest), name).not.toThrow();
      const config = loadConfig(rest);
      expect(config.KAFKA_BROKERS, name).toEqual(['kafka:9092']);
      expect(new URL(config.CLICKHOUSE_URL!).host, name).toBe('clickhouse:8123');
      // the URL's path names the database the ClickHouse image creates
      expect(new URL(config.CLICKHOUSE_URL!).pathname.slice(1), name).toBe(String(services.clickhouse!.environment!.CLICKHOUSE_DB));
    }
  });

  it('checks each long-running service on the port it serves /readyz on', () => {
    const port = (name: string) => String(services[name]!.environment!.HAIDANG_OPS_PORT ?? services[name]!.environment!.HAIDANG_PORT);
    for (const name of ['stream', 'api', 'ingest']) {
      expect(services[name]!.healthcheck!.test.join(' '), name).toContain(`127.0.0.1:${port(name)}/readyz`);
    }
  });
});
