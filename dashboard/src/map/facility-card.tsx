import { api } from '../api/client.ts';
import { capacitySeries, type FacilityRow, type FreshnessRow } from '../api/schemas.ts';
import { LineChart } from '../chart/line-chart.tsx';
import { formatAge, formatDateTime, formatNumber } from '../format/format.ts';
import { usePolled } from '../live/use-polled.ts';
import { useLang } from '../shell/use-lang.ts';
import { sharedNow } from '../time/shared-now.ts';

/**
 * What a click on a facility opens: per tier its free oxygen beds, ICU beds and ventilators,
 * the oxygen on site, the last 72 hours of oxygen beds in use, and when it last reported
 * (dimmed and said when that report is stale).
 */
export function FacilityCard({ id, name, rows, fresh, at, onClose }: { id: string; name: string; rows: FacilityRow[]; fresh: FreshnessRow | undefined; at: Date | null; onClose: () => void }) {
  const { lang, t } = useLang();
  const to = at ?? sharedNow();
  const trend = usePolled(
    (signal) => api(`/capacity/series?facility=${encodeURIComponent(id)}&from=${new Date(to.getTime() - 72 * 3_600_000).toISOString()}&to=${to.toISOString()}&step=1h`, capacitySeries, { signal }),
    60_000,
    [id, at?.getTime()],
  );
  const points = trend.data?.points ?? [];
  const times = [...new Set(points.map((p) => Date.parse(p.t) / 1000))].sort((a, b) => a - b);
  const tiers = [...new Set(points.map((p) => p.tier))].sort();
  const series = tiers.map((tier, i) => {
    const byT = new Map(points.filter((p) => p.tier === tier).map((p) => [Date.parse(p.t) / 1000, p.oxygenBedsOccupied]));
    return { label: `${t('map.tier', { tier })}: ${t('card.oxygenInUse')}`, values: times.map((x) => byT.get(x) ?? null), colour: ['#4fc3f7', '#ffd54f', '#e57373'][i % 3]! };
  });
  const capacityTotal = rows.reduce((a, r) => a + r.oxygenBedsTotal, 0);
  const last = rows.map((r) => r.receivedAt).sort().at(-1) ?? '';
  const ageS = last ? (Date.now() - Date.parse(last)) / 1000 : null;
  const stale = !at && (ageS === null || ageS > 2 * (fresh?.cadenceSeconds ?? 3600));
  return (
    <aside className={`detail facility-card ${stale ? 'stale-value' : ''}`} data-testid="facility-card" data-facility={id} aria-label={name}>
      <button type="button" className="close" onClick={onClose} aria-label={t('card.close')}>
        ×
      </button>
      <h3>{name}</h3>
      {rows.length === 0 ? <p className="muted">{t('fresh.never')}</p> : null}
      {rows.map((r) => (
        <dl key={r.tier} className="card-grid" data-tier={r.tier}>
          <dt>{t('capacity.tier')}</dt>
          <dd>{r.tier}</dd>
          <dt>{t('capacity.freeOxygen')}</dt>
          <dd className="strong" data-testid="card-free-oxygen">
            {formatNumber(lang, r.freeOxygenBeds)} / {formatNumber(lang, r.oxygenBedsTotal)}
          </dd>
          <dt>{t('card.icuFree')}</dt>
          <dd>
            {formatNumber(lang, r.icuBedsTotal - r.icuBedsOccupied)} / {formatNumber(lang, r.icuBedsTotal)}
          </dd>
          <dt>{t('card.ventilatorsFree')}</dt>
          <dd>
            {formatNumber(lang, r.ventilatorsTotal - r.ventilatorsInUse)} / {formatNumber(lang, r.ventilatorsTotal)}
          </dd>
          <dt>{t('card.oxygenStock')}</dt>
          <dd>{formatNumber(lang, r.oxygenStockLitres / 1000, 0)} m³</dd>
        </dl>
      ))}
      <p className={stale ? 'fresh stale' : 'muted small'} data-testid="card-freshness" data-stale={stale ? 'true' : 'false'}>
        {t('card.lastReport')}: {formatDateTime(lang, last)} {ageS === null ? '' : `(${formatAge(lang, ageS)})`}
        {stale ? ` — ${t('card.stale')}` : ''}
      </p>
      <div className="card-trend">
        <h4>{t('card.trend', { capacity: formatNumber(lang, capacityTotal) })}</h4>
        {times.length ? <LineChart times={times} series={series} target={capacityTotal || null} targetLabel={t('forecast.capacity')} format={(v) => formatNumber(lang, v)} title="" height={100} /> : <p className="muted small">{trend.error ? t('error.load', { message: trend.error }) : t('time.loading')}</p>}
      </div>
    </aside>
  );
}
