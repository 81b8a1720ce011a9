import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allDashboards, syncGrafana } from '@haidang/api';
import { loadCityPack } from '@haidang/city';
import { createLogger, openStore, storeOptionsFrom, HaiDangError } from '@haidang/stream';
import { placesOf } from './api.ts';
import { configFrom } from './flags.ts';

/** the dashboards, with the default city pack's places (commodity baselines, population) */
async function dashboards() {
  return allDashboards(placesOf(await loadCityPack()));
}

/**
 * `haidang grafana sync --url <grafana> --token <ENV>`: dashboards and alert annotations
 * through Grafana's HTTP API. The token is read from the environment variable named by
 * --token, never from the command line (ps and shell history would keep it).
 */
export async function runGrafanaSync(flags: Record<string, unknown>): Promise<void> {
  const config = configFrom(flags);
  const logger = createLogger(config.LOG_LEVEL).child({ service: 'grafana-sync' });
  const envName = String(flags.token ?? 'GRAFANA_TOKEN');
  const token = process.env[envName];
  if (!token) {
    throw new HaiDangError('HD_CONFIG_INVALID', `grafana sync: set ${envName} to a Grafana service-account token (Editor role); --token names the variable, not the token`);
  }
  const url = String(flags.url);
  const sinceDays = Number(flags.since ?? 30);
  if (!/^https?:\/\//.test(url) || !Number.isFinite(sinceDays) || sinceDays <= 0) {
    throw new HaiDangError('HD_CONFIG_INVALID', 'grafana sync: --url must be http(s)://… and --since a positive number of days');
  }
  const store = await openStore(storeOptionsFrom(config));
  try {
    const report = await syncGrafana({ url, token, store: store.client, dashboards: await dashboards(), logger, sinceMs: Date.now() - sinceDays * 86_400_000, folderUid: flags.folder as string | undefined });
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } catch (e) {
    logger.error({ err: e }, (e as Error).message);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

/** `haidang grafana export`: the same dashboards as JSON files, for Grafana's file provisioning */
export async function runGrafanaExport(flags: Record<string, unknown>): Promise<void> {
  const out = resolve(String(flags.out ?? 'infra/grafana/dashboards'));
  mkdirSync(out, { recursive: true });
  for (const d of await dashboards()) {
    writeFileSync(join(out, `${d.uid}.json`), `${JSON.stringify(d, null, 2)}\n`);
    process.stdout.write(`${join(out, `${d.uid}.json`)}\n`);
  }
}
