import type { ClickHouseClient } from '@clickhouse/client';
import { idsInWard, type Places } from '../places.ts';
import { selectRows } from './store-query.ts';
import { isoFromCh, steps, type ResolvedRange } from './time-range.ts';

/**
 * Latest price per market and commodity with its deviation from a baseline: the median of
 * the corrected reports (`prices_asof FINAL`) in the 7 days before the latest report. With
 * no report in that window the city pack's baseline price is used, and `baselineSource`
 * says which one it was.
 */
export async function pricesNow(client: ClickHouseClient, places: Places, f: { market?: string | undefined; commodity?: string | undefined; ward?: string | undefined }) {
  const ids = f.market ? [f.market] : f.ward ? idsInWard(places, 'markets', f.ward) : undefined;
  const where = `${ids ? ' AND entity IN {ids:Array(String)}' : ''}${f.commodity ? ' AND commodity = {commodity:String}' : ''}`;
  const rows = await selectRows<Record<string, string | null>>(
    client,
    `WITH latest AS (SELECT entity, commodity, unit, price_vnd, shortage, observed_at, received_at FROM prices_latest FINAL WHERE 1${where})
     SELECT l.entity AS entity, l.commodity AS commodity, any(l.unit) AS unit, any(l.price_vnd) AS price_vnd, any(l.shortage) AS shortage,
       toString(any(l.observed_at)) AS observed_at, toString(any(l.received_at)) AS received_at,
       quantileExactIf(0.5)(a.price_vnd, a.observed_at >= l.observed_at - INTERVAL 7 DAY AND a.observed_at < l.observed_at) AS median7d,
       countIf(a.observed_at >= l.observed_at - INTERVAL 7 DAY AND a.observed_at < l.observed_at) AS baseline_reports
     FROM latest AS l
     LEFT JOIN (SELECT entity, commodity, price_vnd, observed_at FROM prices_asof FINAL
                WHERE observed_at >= (SELECT min(observed_at) FROM latest) - INTERVAL 7 DAY${where}) AS a
       ON a.entity = l.entity AND a.commodity = l.commodity
     GROUP BY l.entity, l.commodity ORDER BY l.entity, l.commodity`,
    { ids: ids ?? [], commodity: f.commodity ?? '' },
    { streams: ['prices'] },
  );
  const markets = new Map(places.markets.map((m) => [m.id, m]));
  const commodities = new Map(places.commodities.map((c) => [c.id, c]));
  return rows.map((r) => {
    const price = Number(r.price_vnd);
    const median = Number(r.baseline_reports) > 0 ? Number(r.median7d) : null;
    const packBaseline = commodities.get(r.commodity!)?.baselineVnd ?? null;
    const baseline = median ?? packBaseline;
    return {
      market: r.entity!,
      marketName: markets.get(r.entity!)?.name ?? null,
      ward: markets.get(r.entity!)?.wardCode ?? null,
      commodity: r.commodity!,
      unit: r.unit!,
      priceVnd: price,
      shortage: r.shortage === null ? null : Boolean(r.shortage),
      baselineVnd: baseline,
      baselineSource: median !== null ? ('median-7d' as const) : packBaseline !== null ? ('city-pack' as const) : ('none' as const),
      deviation: baseline ? price / baseline - 1 : null,
      observedAt: isoFromCh(r.observed_at)!,
      receivedAt: isoFromCh(r.received_at)!,
    };
  });
}

/** last price per bucket per market and commodity, from the rollup no coarser than the step */
export async function pricesSeries(client: ClickHouseClient, range: ResolvedRange, f: { market?: string | undefined; commodity?: string | undefined }) {
  const s = steps[range.step];
  const rows = await selectRows<Record<string, string>>(
    client,
    `SELECT toString(toStartOfInterval(bucket, ${s.interval}, 'UTC')) AS t, entity, commodity, argMaxMerge(last).price_vnd AS price_vnd
     FROM prices_${s.rollup}
     WHERE bucket >= toStartOfInterval({from:DateTime64(3, 'UTC')}, ${s.interval}, 'UTC') AND bucket < {to:DateTime64(3, 'UTC')}${f.market ? ' AND entity = {market:String}' : ''}${f.commodity ? ' AND commodity = {commodity:String}' : ''}
     GROUP BY t, entity, commodity ORDER BY t, entity, commodity`,
    { from: range.from, to: range.to, market: f.market ?? '', commodity: f.commodity ?? '' },
    { streams: ['prices'] },
  );
  return rows.map((r) => ({ t: isoFromCh(r.t)!, market: r.entity!, commodity: r.commodity!, priceVnd: Number(r.price_vnd) }));
}
