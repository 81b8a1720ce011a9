import { allDescriptors, isSummed, type DataStreamName, type StreamDescriptor } from '@haidang/stream';
import type { Places } from '../../places.ts';

/**
 * Grafana dashboards as data, built here rather than hand-edited as JSON: the city pack's
 * commodity baselines go into the SQL, and `haidang grafana export` writes the same objects
 * to infra/grafana/dashboards/ for file provisioning (a test keeps the two equal).
 *
 * Queries are for the grafana-clickhouse-datasource plugin (raw SQL, `$__timeFilter`), over
 * the tables the api reads: gauges from `<s>_latest` / rollups, counters summed from
 * `<s>_asof FINAL` (a materialised sum could not retract a superseded report). The
 * pipeline dashboard reads the Prometheus metrics every service serves at /metrics.
 */
export const clickhouseUid = 'haidang-clickhouse';
export const prometheusUid = 'haidang-prometheus';
const clickhouse = { type: 'grafana-clickhouse-datasource', uid: clickhouseUid };
const prometheus = { type: 'prometheus', uid: prometheusUid };

export interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  [field: string]: unknown;
}

type Kind = 'timeseries' | 'table' | 'stat' | 'bargauge';

interface PanelSpec {
  title: string;
  kind: Kind;
  /** one SQL query (ClickHouse) or one or more PromQL expressions (Prometheus) */
  sql?: string;
  promql?: Array<{ expr: string; legend: string }>;
  unit?: string;
  /** a red line / threshold at this value */
  threshold?: number;
  description?: string;
  width?: number;
  height?: number;
}

function panel(p: PanelSpec, id: number, x: number, y: number) {
  const targets = p.sql
    ? [{ refId: 'A', datasource: clickhouse, editorType: 'sql', format: p.kind === 'timeseries' ? 0 : 1, queryType: p.kind === 'timeseries' ? 'timeseries' : 'table', rawSql: p.sql }]
    : (p.promql ?? []).map((q, i) => ({ refId: String.fromCharCode(65 + i), datasource: prometheus, expr: q.expr, legendFormat: q.legend }));
  const thresholds = {
    mode: 'absolute',
    steps: [{ color: 'green', value: null }, ...(p.threshold === undefined ? [] : [{ color: 'red', value: p.threshold }])],
  };
  return {
    id,
    type: p.kind,
    title: p.title,
    description: p.description ?? '',
    datasource: p.sql ? clickhouse : prometheus,
    gridPos: { x, y, w: p.width ?? 12, h: p.height ?? 8 },
    targets,
    fieldConfig: {
      defaults: { unit: p.unit ?? 'short', thresholds, ...(p.kind === 'timeseries' && p.threshold !== undefined ? { custom: { thresholdsStyle: { mode: 'line' } } } : {}) },
      overrides: [],
    },
    options: p.kind === 'timeseries' ? { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } } : {},
  };
}

function dashboard(uid: string, title: string, tags: string[], panels: PanelSpec[], refresh = '1m'): Dashboard {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const laid = panels.map((p, i) => {
    const w = p.width ?? 12;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const out = panel(p, i + 1, x, y);
    x += w;
    rowHeight = Math.max(rowHeight, p.height ?? 8);
    return out;
  });
  return {
    uid,
    title,
    tags: ['haidang', ...tags],
    timezone: 'Asia/Ho_Chi_Minh',
    schemaVersion: 39,
    editable: true,
    refresh,
    time: { from: 'now-7d', to: 'now' },
    // alert episodes pushed by `haidang grafana sync` appear on every time series
    annotations: { list: [{ name: 'Hải Đăng alerts', enable: true, iconColor: 'red', datasource: { type: 'grafana', uid: '-- Grafana --' }, target: { type: 'tags', tags: ['haidang-alert'], limit: 500, matchAny: true } }] },
    panels: laid,
  };
}

/** `'a','b'` for SQL: ids come from the city pack, still quoted defensively */
const sqlList = (xs: Array<string | number>) => xs.map((x) => (typeof x === 'number' ? String(x) : `'${x.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`)).join(', ');

function capacityDashboard(): Dashboard {
  return dashboard('haidang-capacity', 'Hải Đăng · Treatment capacity by tier', ['capacity'], [
    {
      title: 'Bed occupancy by tier (%)',
      kind: 'timeseries',
      unit: 'percent',
      threshold: 85,
      description: 'Occupied / total beds over all facilities of a tier, last report per facility in each hour (capacity_1h rollup).',
      sql: `SELECT time, concat('tier ', toString(tier)) AS series, 100 * sum(occupied) / nullIf(sum(total), 0) AS occupancy
FROM (SELECT bucket AS time, entity, tier, tupleElement(argMaxMerge(last), 'beds_occupied') AS occupied, tupleElement(argMaxMerge(last), 'beds_total') AS total
      FROM capacity_1h WHERE $__timeFilter(bucket) GROUP BY time, entity, tier)
GROUP BY time, tier ORDER BY time`,
    },
    {
      title: 'Oxygen beds occupied vs total, by tier (now)',
      kind: 'bargauge',
      sql: `SELECT concat('tier ', toString(tier)) AS tier, sum(oxygen_beds_occupied) AS occupied, sum(oxygen_beds_total) AS total
FROM capacity_latest FINAL GROUP BY tier ORDER BY tier`,
    },
    {
      title: 'ICU beds and ventilators in use (now)',
      kind: 'table',
      width: 24,
      sql: `SELECT entity AS facility, tier, icu_beds_occupied, icu_beds_total, ventilators_in_use, ventilators_total, oxygen_stock_litres, observed_at AS last_report
FROM capacity_latest FINAL ORDER BY tier DESC, facility`,
    },
  ]);
}

function vaccinationDashboard(places: Places): Dashboard {
  const population = places.wards.reduce((a, w) => a + w.population, 0);
  return dashboard('haidang-vaccination', 'Hải Đăng · Vaccination', ['vaccination'], [
    {
      title: 'Doses per day by dose number',
      kind: 'timeseries',
      description: 'Sum of the corrected reports (vaccination_asof FINAL): a superseded report counts once.',
      sql: `SELECT toStartOfDay(observed_at) AS time, concat('dose ', toString(dose_number)) AS series, sum(doses) AS doses
FROM vaccination_asof FINAL WHERE $__timeFilter(observed_at) GROUP BY time, series ORDER BY time`,
    },
    {
      title: 'Doses per ward (period)',
      kind: 'table',
      sql: `SELECT entity AS ward, sumIf(doses, dose_number = 1) AS dose1, sumIf(doses, dose_number = 2) AS dose2, sumIf(doses, dose_number >= 3) AS booster, sum(doses) AS total
FROM vaccination_asof FINAL WHERE $__timeFilter(observed_at) GROUP BY ward ORDER BY total DESC`,
    },
    {
      title: 'Second doses over city population (%, all time)',
      kind: 'stat',
      unit: 'percent',
      description: `Population from the city pack: ${population} people.`,
      sql: `SELECT 100 * sumIf(doses, dose_number = 2) / ${Math.max(population, 1)} AS coverage FROM vaccination_asof FINAL`,
    },
  ]);
}

function pricesDashboard(places: Places): Dashboard {
  const ids = places.commodities.map((c) => c.id);
  const baselines = places.commodities.map((c) => c.baselineVnd);
  // baseline per commodity from the city pack, inlined: Grafana reads only what ClickHouse holds
  const baseline = ids.length ? `transform(commodity, [${sqlList(ids)}], [${sqlList(baselines)}], 0)` : '0';
  return dashboard('haidang-prices', 'Hải Đăng · Essential-goods prices vs baseline', ['prices'], [
    {
      title: 'Price vs baseline by commodity (%)',
      kind: 'timeseries',
      unit: 'percent',
      threshold: 10,
      description: 'Median over markets of the last price each hour, against the commodity baseline of the city pack; 0 = at baseline.',
      sql: `SELECT time, commodity AS series, 100 * (median(price) / nullIf(any(${baseline}), 0) - 1) AS deviation
FROM (SELECT bucket AS time, entity, commodity, tupleElement(argMaxMerge(last), 'price_vnd') AS price FROM prices_1h WHERE $__timeFilter(bucket) GROUP BY time, entity, commodity)
GROUP BY time, commodity ORDER BY time`,
    },
    {
      title: 'Latest price per market and commodity',
      kind: 'table',
      sql: `SELECT entity AS market, commodity, price_vnd, ${baseline} AS baseline_vnd, round(100 * (price_vnd / nullIf(baseline_vnd, 0) - 1), 1) AS deviation_pct, shortage, observed_at AS last_report
FROM prices_latest FINAL ORDER BY abs(deviation_pct) DESC`,
    },
  ]);
}

function dossiersDashboard(): Dashboard {
  return dashboard('haidang-dossiers', 'Hải Đăng · Administrative dossiers online (target 50%)', ['dossiers'], [
    {
      title: 'Share of dossiers received online, per day (%)',
      kind: 'timeseries',
      unit: 'percent',
      threshold: 50,
      description: 'Resolution 11 action plan: 50% of dossiers received and processed online.',
      sql: `SELECT toStartOfDay(observed_at) AS time, 100 * sum(received_online) / nullIf(sum(received), 0) AS online_share
FROM dossiers_asof FINAL WHERE $__timeFilter(observed_at) GROUP BY time ORDER BY time`,
    },
    {
      title: 'Online share per agency (period, %)',
      kind: 'bargauge',
      unit: 'percent',
      threshold: 50,
      sql: `SELECT entity AS agency, 100 * sum(received_online) / nullIf(sum(received), 0) AS online_share
FROM dossiers_asof FINAL WHERE $__timeFilter(observed_at) GROUP BY agency ORDER BY online_share`,
    },
    {
      title: 'Resolved on time (period, %)',
      kind: 'stat',
      unit: 'percent',
      sql: `SELECT 100 * sum(resolved_on_time) / nullIf(sum(resolved), 0) AS on_time FROM dossiers_asof FINAL WHERE $__timeFilter(observed_at)`,
    },
  ]);
}

function pipelineDashboard(): Dashboard {
  return dashboard('haidang-pipeline', 'Hải Đăng · Pipeline', ['pipeline'], [
    { title: 'Events in per stream (/s)', kind: 'timeseries', unit: 'ops', promql: [{ expr: 'sum by (stream) (rate(haidang_events_in_total[1m]))', legend: '{{stream}}' }] },
    { title: 'Events out by outcome (/s)', kind: 'timeseries', unit: 'ops', promql: [{ expr: 'sum by (outcome) (rate(haidang_events_out_total[1m]))', legend: '{{outcome}}' }] },
    { title: 'Consumer lag per topic', kind: 'timeseries', promql: [{ expr: 'max by (topic) (haidang_consumer_lag)', legend: '{{topic}}' }], description: 'Messages not yet committed by the group; every worker reports the whole group, hence max.' },
    {
      title: 'Insert latency (s)',
      kind: 'timeseries',
      unit: 's',
      promql: [
        { expr: 'histogram_quantile(0.5, sum by (le) (rate(haidang_insert_seconds_bucket[5m])))', legend: 'p50' },
        { expr: 'histogram_quantile(0.99, sum by (le) (rate(haidang_insert_seconds_bucket[5m])))', legend: 'p99' },
      ],
    },
    { title: 'Rows per chunk (p50)', kind: 'timeseries', promql: [{ expr: 'histogram_quantile(0.5, sum by (le, stream) (rate(haidang_batch_rows_bucket[5m])))', legend: '{{stream}}' }] },
    {
      title: 'Rows per insert',
      kind: 'timeseries',
      promql: [{ expr: 'sum by (instance) (rate(haidang_events_out_total{outcome="stored"}[5m])) / sum by (instance) (rate(haidang_inserts_total[5m]))', legend: '{{instance}}' }],
      description: 'Stored events per insert statement. ClickHouse wants thousands: the chunks of partitions consumed side by side share one insert; below about 1,000 under load, look at HAIDANG_BATCH_ROWS and KAFKA_FETCH_MIB_PER_PARTITION.',
    },
    { title: 'Dead letters by reason (/min)', kind: 'timeseries', promql: [{ expr: 'sum by (reason) (rate(haidang_dead_letters_total[5m])) * 60', legend: '{{reason}}' }] },
    { title: 'Store retries (/min)', kind: 'timeseries', promql: [{ expr: 'sum by (service, instance) (rate(haidang_insert_retries_total[5m])) * 60', legend: '{{instance}}' }] },
    { title: 'Live clients', kind: 'stat', promql: [{ expr: 'sum(haidang_socket_clients)', legend: 'clients' }] },
    {
      title: 'API latency p99 by route (s)',
      kind: 'timeseries',
      unit: 's',
      promql: [{ expr: 'histogram_quantile(0.99, sum by (le, route) (rate(haidang_http_request_seconds_bucket[5m])))', legend: '{{route}}' }],
    },
    { title: 'Memory (RSS) per process', kind: 'timeseries', unit: 'bytes', promql: [{ expr: 'haidang_process_resident_memory_bytes', legend: '{{service}} {{instance}}' }] },
  ], '10s');
}

/**
 * A stream's dashboard from its descriptor alone, for a stream without one of its own: its
 * current state per entity (newest report for a gauge, the period's sums for a counter).
 */
function streamDashboard(d: StreamDescriptor): Dashboard {
  const q = (c: string) => `\`${c}\``;
  const values = d.fields.filter((f) => !f.dimension);
  const dims = d.fields.filter((f) => f.dimension).map((f) => q(f.column));
  const sql =
    d.kind === 'gauge'
      ? `SELECT entity AS ${d.entity.kind}, ${[...dims, ...values.map((f) => q(f.column))].join(', ')}, observed_at FROM ${d.name}_latest FINAL ORDER BY entity`
      : `SELECT entity AS ${d.entity.kind}, ${[...dims, ...values.map((f) => (isSummed(d, f) ? `sum(${q(f.column)}) AS ${q(f.column)}` : `argMax(${q(f.column)}, observed_at) AS ${q(f.column)}`))].join(', ')}
FROM ${d.name}_asof FINAL WHERE $__timeFilter(observed_at) GROUP BY entity${dims.map((c) => `, ${c}`).join('')} ORDER BY entity`;
  return dashboard(`haidang-${d.name}`, `Hải Đăng · ${d.label.en}`, [d.name], [{ title: `${d.label.en} per ${d.entity.kind}`, kind: 'table', sql }]);
}

/** the streams' own dashboards (an extension of their descriptors, registered here); the others get `streamDashboard` */
const streamDashboards: Partial<Record<DataStreamName, (places: Places) => Dashboard>> = {
  capacity: () => capacityDashboard(),
  vaccination: vaccinationDashboard,
  prices: pricesDashboard,
  dossiers: () => dossiersDashboard(),
};

/** every dashboard `haidang grafana sync` pushes and infra/grafana/dashboards/ holds: one per stream, then the pipeline's */
export function allDashboards(places: Places): Dashboard[] {
  return [...allDescriptors.map((d) => streamDashboards[d.name as DataStreamName]?.(places) ?? streamDashboard(d)), pipelineDashboard()];
}
