import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCityPack } from '@haidang/city';
import { allDashboards, clickhouseUid, prometheusUid, type Dashboard } from '../../src/ops/grafana/dashboards.ts';
import { capacity, dossiers, doses, price } from '../fixtures/events.ts';
import { startTestApi, testPlaces, type TestApi } from '../fixtures/test-api.ts';

/**
 * The Grafana dashboards: every ClickHouse query runs on our schema and returns what the
 * panel title promises, and the provisioned JSON files are exactly what the code generates.
 */
const grafanaDir = resolve(import.meta.dirname, '../../../infra/grafana');
let api: TestApi;
const now = Date.now();
const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();

/** Grafana's macros, as the plugin expands them, over the last 7 days */
const expand = (sql: string) => sql.replace(/\$__timeFilter\((\w+)\)/g, '$1 >= now() - INTERVAL 7 DAY AND $1 <= now()');

type Target = { rawSql?: string; expr?: string; datasource: { uid: string } };
const panelsOf = (d: Dashboard) => d.panels as Array<{ title: string; targets: Target[] }>;

async function run(sql: string): Promise<Array<Record<string, unknown>>> {
  const rs = await api.store.client.query({ query: expand(sql), format: 'JSONEachRow' });
  return rs.json();
}

beforeAll(async () => {
  api = await startTestApi();
  await api.store_events([
    capacity('f-a', at(3), { tier: 2, oxygenTotal: 40, oxygenOccupied: 30, beds: 100 }),
    capacity('f-c', at(2), { tier: 3, oxygenTotal: 10, oxygenOccupied: 9, beds: 20 }),
    price('m-1', at(2), 'pork', 120_000),
    price('m-2', at(2), 'pork', 110_000),
    doses('w1', at(5), 2, 300),
    dossiers('ag-1', at(4), { received: 10, online: 4, onTime: 5, late: 1 }),
  ]);
});
afterAll(async () => api.close());

describe('Grafana dashboards', () => {
  const dashboards = allDashboards(testPlaces);

  it('every ClickHouse panel query runs on the store schema', async () => {
    for (const d of dashboards) {
      for (const p of panelsOf(d)) {
        for (const t of p.targets.filter((x) => x.rawSql)) {
          await expect(run(t.rawSql!), `${d.uid} / ${p.title}`).resolves.toBeInstanceOf(Array);
        }
      }
    }
  });

  it('the panels answer with the figures behind them', async () => {
    const sqlOf = (uid: string, title: RegExp) => panelsOf(dashboards.find((d) => d.uid === uid)!).find((p) => title.test(p.title))!.targets[0]!.rawSql!;
    const prices = await run(sqlOf('haidang-prices', /Latest price/));
    // pork baseline 100,000 VND in the test places: +20% and +10%
    expect(prices.map((r) => [r.market, Number(r.deviation_pct)])).toEqual([['m-1', 20], ['m-2', 10]]);
    const online = await run(sqlOf('haidang-dossiers', /per agency/));
    expect(online).toEqual([{ agency: 'ag-1', online_share: 40 }]);
    const occupancy = await run(sqlOf('haidang-capacity', /Oxygen beds/));
    expect(occupancy.map((r) => [r.tier, Number(r.occupied), Number(r.total)])).toEqual([['tier 2', 30, 40], ['tier 3', 9, 10]]);
  });

  it('the pipeline dashboard reads the metrics the services export', () => {
    const exprs = panelsOf(dashboards.find((d) => d.uid === 'haidang-pipeline')!).flatMap((p) => p.targets.map((t) => t.expr!));
    for (const metric of ['haidang_events_in_total', 'haidang_events_out_total', 'haidang_consumer_lag', 'haidang_insert_seconds_bucket', 'haidang_batch_rows_bucket', 'haidang_dead_letters_total', 'haidang_socket_clients', 'haidang_http_request_seconds_bucket', 'haidang_insert_retries_total', 'haidang_inserts_total']) {
      expect(exprs.join('\n')).toContain(metric);
    }
  });

  it('infra/grafana/dashboards holds exactly what `haidang grafana export` writes for the default pack', async () => {
    const { placesOf } = await import('../../../bin/commands/api.ts');
    const generated = allDashboards(placesOf(await loadCityPack()));
    const files = readdirSync(join(grafanaDir, 'dashboards')).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(generated.map((d) => `${d.uid}.json`).sort());
    for (const d of generated) {
      expect(JSON.parse(readFileSync(join(grafanaDir, 'dashboards', `${d.uid}.json`), 'utf8')), `${d.uid}.json is stale: run node bin/haidang.mjs grafana export`).toEqual(d);
    }
  });

  it('the provisioned data sources carry the uids the panels use', () => {
    const yaml = readFileSync(join(grafanaDir, 'provisioning/datasources/haidang.yaml'), 'utf8');
    expect(yaml).toContain(`uid: ${clickhouseUid}`);
    expect(yaml).toContain('type: grafana-clickhouse-datasource');
    expect(yaml).toContain(`uid: ${prometheusUid}`);
    expect(yaml).not.toMatch(/password: (?!\$\{)/);
  });
});
