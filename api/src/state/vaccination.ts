import type { ClickHouseClient } from '@clickhouse/client';
import type { Places } from '../places.ts';
import { selectRows } from './store-query.ts';
import { isoFromCh, steps, type ResolvedRange } from './time-range.ts';

/**
 * Doses are counts per reporting interval: totals sum the corrected reports (`_asof FINAL`,
 * a correction replaces the count it corrects). Coverage = doses of a dose number / the
 * ward's population from the city pack (all ages: the pack has no age pyramid per ward).
 */
export async function vaccinationByWard(client: ClickHouseClient, places: Places, f: { ward?: string | undefined; to?: string | undefined }) {
  const rows = await selectRows<Record<string, string>>(
    client,
    `SELECT entity, sum(doses) AS total_doses, sumIf(doses, dose_number = 1) AS dose1, sumIf(doses, dose_number = 2) AS dose2, sumIf(doses, dose_number >= 3) AS booster,
       toString(max(observed_at)) AS last_observed, toString(max(received_at)) AS last_received
     FROM vaccination_asof FINAL WHERE 1${f.ward ? ' AND entity = {ward:String}' : ''}${f.to ? " AND observed_at < {to:DateTime64(3, 'UTC')}" : ''}
     GROUP BY entity ORDER BY entity`,
    { ward: f.ward ?? '', to: f.to ?? '' },
    { streams: ['vaccination'] },
  );
  const wards = new Map(places.wards.map((w) => [w.code, w]));
  return rows.map((r) => {
    const w = wards.get(r.entity!);
    const cover = (n: string | undefined) => (w ? Number(n) / w.population : null);
    return {
      ward: r.entity!,
      name: w?.name ?? null,
      population: w?.population ?? null,
      doses: Number(r.total_doses),
      dose1: Number(r.dose1),
      dose2: Number(r.dose2),
      booster: Number(r.booster),
      coverageDose1: cover(r.dose1),
      coverageDose2: cover(r.dose2),
      observedAt: isoFromCh(r.last_observed)!,
      receivedAt: isoFromCh(r.last_received)!,
    };
  });
}

export async function vaccinationSeries(client: ClickHouseClient, range: ResolvedRange, f: { ward?: string | undefined; dose?: number | undefined }) {
  const rows = await selectRows<Record<string, string>>(
    client,
    `SELECT toString(toStartOfInterval(observed_at, ${steps[range.step].interval}, 'UTC')) AS t, dose_number, sum(doses) AS n_doses
     FROM vaccination_asof FINAL
     WHERE observed_at >= {from:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')}${f.ward ? ' AND entity = {ward:String}' : ''}${f.dose ? ' AND dose_number = {dose:UInt8}' : ''}
     GROUP BY t, dose_number ORDER BY t, dose_number`,
    { from: range.from, to: range.to, ward: f.ward ?? '', dose: f.dose ?? 0 },
    { streams: ['vaccination'] },
  );
  return rows.map((r) => ({ t: isoFromCh(r.t)!, doseNumber: Number(r.dose_number), doses: Number(r.n_doses) }));
}
