import type { ClickHouseClient } from '@clickhouse/client';
import { allDescriptors, chTime, type AnyEvent, type StreamName } from '@haidang/stream';
import { selectRows } from '../state/store-query.ts';
import type { AlertRule } from './rules.ts';
import { oxygenHoursToFull } from '../forecast/alert-reading.ts';

/** one reading of a rule's metric: which series it belongs to, when, and its value */
export interface Reading {
  entity: string;
  series: string;
  at: number;
  value: number;
}

/** the stream whose stored events a metric is read from (timer-read metrics have none) */
export const metricStream: Partial<Record<AlertRule['metric'], StreamName>> = {
  'oxygen-occupancy': 'capacity',
  'price-vs-median-7d': 'prices',
  'online-share': 'dossiers',
  'oxygen-hours-to-full': 'capacity',
  // the streams whose descriptors declare alerts
  ...Object.fromEntries(allDescriptors.filter((d) => d.alerts?.length).map((d) => [`stream:${d.name}`, d.name as StreamName])),
};

/** readings of a rule a stream's descriptor declares: its `read` on each stored report of the stream */
function descriptorReadings(rule: AlertRule, events: AnyEvent[]): Reading[] {
  const stream = rule.metric.slice('stream:'.length);
  const alert = allDescriptors.find((d) => d.name === stream)?.alerts?.find((a) => a.id === rule.id);
  if (!alert) return [];
  const out: Reading[] = [];
  for (const e of events) {
    if (e.stream !== stream) continue;
    const r = alert.read(e.payload);
    if (r) out.push({ entity: e.entity, series: r.series, at: Date.parse(e.observedAt), value: r.value });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** the readings of `rule`'s metric in a batch of stored events of its stream */
export async function readMetric(client: ClickHouseClient, rule: AlertRule, events: AnyEvent[]): Promise<Reading[]> {
  const out: Reading[] = [];
  if (rule.metric.startsWith('stream:')) return descriptorReadings(rule, events);
  if (rule.metric === 'oxygen-hours-to-full') return oxygenHoursToFull(client, rule, events);
  if (rule.metric === 'oxygen-occupancy') {
    for (const e of events) {
      if (e.stream !== 'capacity' || (rule.where?.tier && e.payload.tier !== rule.where.tier) || e.payload.oxygenBedsTotal === 0) continue;
      out.push({ entity: e.entity, series: `tier-${e.payload.tier}`, at: Date.parse(e.observedAt), value: e.payload.oxygenBedsOccupied / e.payload.oxygenBedsTotal });
    }
  } else if (rule.metric === 'online-share') {
    for (const e of events) {
      if (e.stream !== 'dossiers' || e.payload.received === 0) continue;
      out.push({ entity: e.entity, series: e.payload.procedure ?? '', at: Date.parse(e.observedAt), value: e.payload.receivedOnline / e.payload.received });
    }
  } else {
    const prices = events.filter((e) => e.stream === 'prices');
    if (!prices.length) return out;
    // the median of the corrected reports in the 7 days before each report, one query per batch
    const rows = await selectRows<{ i: number; median: number | null; n: string }>(
      client,
      `SELECT q.i AS i, quantileExactIf(0.5)(a.price_vnd, a.observed_at >= q.at - INTERVAL 7 DAY AND a.observed_at < q.at) AS median,
         countIf(a.observed_at >= q.at - INTERVAL 7 DAY AND a.observed_at < q.at) AS n
       FROM (SELECT arrayJoin(arrayZip(range(length({entities:Array(String)})), {entities:Array(String)}, {commodities:Array(String)}, {ats:Array(DateTime64(3, 'UTC'))})) AS z,
                    z.1 AS i, z.2 AS entity, z.3 AS commodity, z.4 AS at) AS q
       LEFT JOIN prices_asof AS a FINAL ON a.entity = q.entity AND a.commodity = q.commodity
       GROUP BY q.i`,
      { entities: prices.map((e) => e.entity), commodities: prices.map((e) => (e.stream === 'prices' ? e.payload.commodity : '')), ats: prices.map((e) => chTime(e.observedAt)) },
    );
    for (const r of rows) {
      const e = prices[Number(r.i)]!;
      if (e.stream !== 'prices' || Number(r.n) === 0 || !r.median) continue;
      out.push({ entity: e.entity, series: e.payload.commodity, at: Date.parse(e.observedAt), value: e.payload.priceVnd / Number(r.median) - 1 });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}
