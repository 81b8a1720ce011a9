import type { ClickHouseClient } from '@clickhouse/client';
import type { Places } from '../places.ts';
import { selectRows } from './store-query.ts';
import { isoFromCh, steps, type ResolvedRange } from './time-range.ts';

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** aliases differ from the column names: ClickHouse would otherwise read the alias inside other expressions */
const sums = `sum(received) AS n_received, sum(received_online) AS n_received_online, sum(resolved) AS n_resolved,
  sum(resolved_on_time) AS n_resolved_on_time, sum(resolved_late) AS n_resolved_late, sum(paid_online) AS n_paid_online`;

function shape(r: Record<string, string>) {
  const n = (k: string) => Number(r[`n_${k}`]);
  return {
    received: n('received'),
    receivedOnline: n('received_online'),
    resolved: n('resolved'),
    resolvedOnTime: n('resolved_on_time'),
    resolvedLate: n('resolved_late'),
    paidOnline: n('paid_online'),
    onlineShare: ratio(n('received_online'), n('received')),
    onTimeRate: ratio(n('resolved_on_time'), n('resolved')),
  };
}

/** throughput per agency over [from, to) of the corrected reports */
export async function dossiersByAgency(client: ClickHouseClient, places: Places, range: { from: string; to: string }, f: { agency?: string | undefined }) {
  const rows = await selectRows<Record<string, string>>(
    client,
    `SELECT entity, ${sums}, toString(max(observed_at)) AS last_observed
     FROM dossiers_asof FINAL
     WHERE observed_at >= {from:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')}${f.agency ? ' AND entity = {agency:String}' : ''}
     GROUP BY entity ORDER BY entity`,
    { ...range, agency: f.agency ?? '' },
    { streams: ['dossiers'] },
  );
  const agencies = new Map(places.agencies.map((a) => [a.id, a]));
  return rows.map((r) => ({ agency: r.entity!, name: agencies.get(r.entity!)?.name ?? null, ...shape(r), lastObservedAt: isoFromCh(r.last_observed)! }));
}

export async function dossiersSeries(client: ClickHouseClient, range: ResolvedRange, f: { agency?: string | undefined }) {
  const rows = await selectRows<Record<string, string>>(
    client,
    `SELECT toString(toStartOfInterval(observed_at, ${steps[range.step].interval}, 'UTC')) AS t, ${sums}
     FROM dossiers_asof FINAL
     WHERE observed_at >= {from:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')}${f.agency ? ' AND entity = {agency:String}' : ''}
     GROUP BY t ORDER BY t`,
    { from: range.from, to: range.to, agency: f.agency ?? '' },
    { streams: ['dossiers'] },
  );
  return rows.map((r) => ({ t: isoFromCh(r.t)!, ...shape(r) }));
}
