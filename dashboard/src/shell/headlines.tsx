import type { ManifestStream } from '@haidang/stream/manifest';
import type { AgencyRow, AlertEpisode, FacilityRow, PriceRow, WardVaccination } from '../api/schemas.ts';
import { formatNumber, formatShare } from '../format/format.ts';
import type { Row } from '../live/stream-merge.ts';
import { streamOf } from '../manifest/use-manifest.ts';
import { useLang } from './use-lang.ts';

const onlineTarget = 0.5;

/**
 * The wall's headline numbers, large enough to read from five metres: free oxygen beds per
 * tier, the city's dose-2 coverage, the online share of procedures against the 50 % target,
 * the largest price rise and the alerts firing, each from the stream whose dedicated panel it
 * belongs to (the role's streams, by panel component). A stale stream's number is dimmed.
 */
export function Headlines({ streams, shown, alerts, withAlerts, stale }: { streams: readonly ManifestStream[]; shown: Readonly<Record<string, Row[]>>; alerts: AlertEpisode[]; withAlerts: boolean; stale: (stream: string) => boolean }) {
  const { lang, t } = useLang();
  const tiles: Array<{ id: string; stream?: string; value: string; label: string; tone?: 'good' | 'bad' | 'watch' }> = [];
  const capacity = streamOf(streams, 'capacity');
  const vaccination = streamOf(streams, 'vaccination');
  const dossiers = streamOf(streams, 'dossiers');
  const prices = streamOf(streams, 'prices');
  const rows = <T,>(s: ManifestStream) => (shown[s.name] ?? []) as T[];
  if (capacity)
    for (const tier of [2, 3]) {
      const rowsOfTier = rows<FacilityRow>(capacity).filter((r) => r.tier === tier);
      const total = rowsOfTier.reduce((a, r) => a + r.oxygenBedsTotal, 0);
      const occupied = rowsOfTier.reduce((a, r) => a + r.oxygenBedsOccupied, 0);
      const use = total ? occupied / total : null;
      tiles.push({ id: `tier-${tier}`, stream: capacity.name, value: formatNumber(lang, total - occupied), label: t('headline.freeOxygen', { tier, use: formatShare(lang, use) }), tone: use === null ? undefined : use >= 0.85 ? 'bad' : use >= 0.7 ? 'watch' : 'good' });
    }
  if (vaccination) {
    const pop = rows<WardVaccination>(vaccination).reduce((a, r) => a + (r.population ?? 0), 0);
    const dose2 = rows<WardVaccination>(vaccination).reduce((a, r) => a + r.dose2, 0);
    tiles.push({ id: 'vaccination', stream: vaccination.name, value: formatShare(lang, pop ? dose2 / pop : null, 1), label: t('headline.coverage2') });
  }
  if (dossiers) {
    const received = rows<AgencyRow>(dossiers).reduce((a, r) => a + r.received, 0);
    const online = rows<AgencyRow>(dossiers).reduce((a, r) => a + r.receivedOnline, 0);
    const share = received ? online / received : null;
    tiles.push({ id: 'dossiers', stream: dossiers.name, value: formatShare(lang, share), label: t('headline.online', { target: formatShare(lang, onlineTarget) }), tone: share === null ? undefined : share < onlineTarget ? 'bad' : 'good' });
  }
  if (prices) {
    const worst = rows<PriceRow>(prices).reduce<PriceRow | null>((w, r) => (r.deviation !== null && (w === null || r.deviation > (w.deviation ?? -Infinity)) ? r : w), null);
    tiles.push({ id: 'prices', stream: prices.name, value: formatShare(lang, worst?.deviation ?? null, 0, true), label: t('headline.priceRise', { market: worst?.marketName ?? worst?.market ?? '—' }), tone: !worst || worst.deviation === null ? undefined : worst.deviation >= 0.1 ? 'bad' : worst.deviation >= 0.05 ? 'watch' : 'good' });
  }
  if (withAlerts) {
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
