import type { AgencyRow, AlertEpisode, FacilityRow, PriceRow, WardVaccination } from '../api/schemas.ts';
import type { Channel } from '../live/live-state.ts';
import { formatNumber, formatShare } from '../format/format.ts';
import { useLang } from './use-lang.ts';

const onlineTarget = 0.5;

/**
 * The wall's headline numbers, large enough to read from five metres: free oxygen beds per
 * tier, the city's dose-2 coverage, the online share of procedures against the 50 % target,
 * the largest price rise and the alerts firing. A stale stream's number is dimmed.
 */
export function Headlines({ shown, alerts, channels, stale }: { shown: { capacity: FacilityRow[]; vaccination: WardVaccination[]; prices: PriceRow[]; dossiers: AgencyRow[] }; alerts: AlertEpisode[]; channels: readonly Channel[]; stale: (stream: string) => boolean }) {
  const { lang, t } = useLang();
  const tiles: Array<{ id: string; stream?: string; value: string; label: string; tone?: 'good' | 'bad' | 'watch' }> = [];
  if (channels.includes('capacity'))
    for (const tier of [2, 3]) {
      const rows = shown.capacity.filter((r) => r.tier === tier);
      const total = rows.reduce((a, r) => a + r.oxygenBedsTotal, 0);
      const occupied = rows.reduce((a, r) => a + r.oxygenBedsOccupied, 0);
      const use = total ? occupied / total : null;
      tiles.push({ id: `tier-${tier}`, stream: 'capacity', value: formatNumber(lang, total - occupied), label: t('headline.freeOxygen', { tier, use: formatShare(lang, use) }), tone: use === null ? undefined : use >= 0.85 ? 'bad' : use >= 0.7 ? 'watch' : 'good' });
    }
  if (channels.includes('vaccination')) {
    const pop = shown.vaccination.reduce((a, r) => a + (r.population ?? 0), 0);
    const dose2 = shown.vaccination.reduce((a, r) => a + r.dose2, 0);
    tiles.push({ id: 'vaccination', stream: 'vaccination', value: formatShare(lang, pop ? dose2 / pop : null, 1), label: t('headline.coverage2') });
  }
  if (channels.includes('dossiers')) {
    const received = shown.dossiers.reduce((a, r) => a + r.received, 0);
    const online = shown.dossiers.reduce((a, r) => a + r.receivedOnline, 0);
    const share = received ? online / received : null;
    tiles.push({ id: 'dossiers', stream: 'dossiers', value: formatShare(lang, share), label: t('headline.online', { target: formatShare(lang, onlineTarget) }), tone: share === null ? undefined : share < onlineTarget ? 'bad' : 'good' });
  }
  if (channels.includes('prices')) {
    const worst = shown.prices.reduce<PriceRow | null>((w, r) => (r.deviation !== null && (w === null || r.deviation > (w.deviation ?? -Infinity)) ? r : w), null);
    tiles.push({ id: 'prices', stream: 'prices', value: formatShare(lang, worst?.deviation ?? null, 0, true), label: t('headline.priceRise', { market: worst?.marketName ?? worst?.market ?? '—' }), tone: !worst || worst.deviation === null ? undefined : worst.deviation >= 0.1 ? 'bad' : worst.deviation >= 0.05 ? 'watch' : 'good' });
  }
  if (channels.includes('alerts')) {
    const firing = alerts.filter((a) => a.state === 'firing').length;
    tiles.push({ id: 'alerts', value: formatNumber(lang, firing), label: t('headline.alerts'), tone: firing ? 'bad' : 'good' });
  }
  return (
    <section className="headlines" data-testid="headlines" aria-label={t('headline.title')}>
      {tiles.map((x) => (
        <div key={x.id} className={`headline ${x.stream && stale(x.stream) ? 'stale-value' : ''}`} data-testid={`headline-${x.id}`} data-stale={x.stream && stale(x.stream) ? 'true' : 'false'}>
          <span className={`headline-value ${x.tone ?? ''}`}>{x.value}</span>
          <span className="headline-label">{x.label}</span>
        </div>
      ))}
    </section>
  );
}
