import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { z } from 'zod';
import { api } from '../api/client.ts';
import { freshnessRow, mapData, type Me } from '../api/schemas.ts';
import { formatNumber, formatShare } from '../format/format.ts';
import { mergeAlerts, type LiveState } from '../live/live-state.ts';
import { useLive } from '../live/use-live.ts';
import { usePolled } from '../live/use-polled.ts';
import { CityMap, type MapSelection } from '../map/city-map.tsx';
import { AlertsPanel } from '../panels/alerts-panel.tsx';
import { CapacityPanel } from '../panels/capacity-panel.tsx';
import { ForecastPanel } from '../forecast/forecast-panel.tsx';
import { DossiersPanel } from '../panels/dossiers-panel.tsx';
import { FreshnessBadge } from '../panels/freshness-badge.tsx';
import { KpiPanel } from '../panels/kpi-panel.tsx';
import { Panel } from '../panels/panel.tsx';
import { PricesPanel } from '../panels/prices-panel.tsx';
import { ReportButtons } from '../panels/report-buttons.tsx';
import { SourceHealthPanel } from '../panels/source-health-panel.tsx';
import { UsersPanel } from '../panels/users-panel.tsx';
import { VaccinationPanel } from '../panels/vaccination-panel.tsx';
import { loadPast } from '../time/load-past.ts';
import { TimeSlider } from '../time/time-slider.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { mayAcknowledge, mayExport, roleChannels, roleMetrics, roleViews } from './role-views.ts';
import { useLang } from './use-lang.ts';

type Shown = Pick<LiveState, 'capacity' | 'vaccination' | 'prices' | 'dossiers'>;

/** the signed-in wall: header (status, time, language), the map, and the panels of the user's role */
export function Wall({ user, kiosk, onLogout }: { user: Me; kiosk: boolean; onLogout: () => void }) {
  const { lang, t } = useLang();
  const views = roleViews[user.role];
  const { state, connection } = useLive(roleChannels[user.role], onLogout);
  const [localAlerts, setLocalAlerts] = useState(state.alerts);
  useEffect(() => setLocalAlerts(state.alerts), [state.alerts]);
  const places = usePolled((signal) => api('/map', mapData, { signal }), 0, []);
  const fresh = usePolled((signal) => api('/freshness', z.object({ streams: z.array(freshnessRow) }), { signal }), 10_000, []);
  const freshOf = (s: string) => fresh.data?.streams.find((r) => r.stream === s);
  const [at, setAt] = useState<Date | null>(null);
  const [past, setPast] = useState<{ at: Date; data: Shown } | null>(null);
  const [pastError, setPastError] = useState<string>();
  const [selected, setSelected] = useState<MapSelection | null>(null);

  useEffect(() => {
    if (!at || !places.data) return setPast(null);
    const ctrl = new AbortController();
    setPastError(undefined);
    loadPast(at, places.data, { prices: views.includes('prices'), dossiers: views.includes('dossiers') }, ctrl.signal)
      .then((data) => setPast({ at, data }))
      .catch((e: unknown) => !ctrl.signal.aborted && setPastError(String(e)));
    return () => ctrl.abort();
  }, [at, places.data, views]);

  const shown: Shown = at && past ? past.data : state;
  const replay = !!at;
  const offline = connection !== 'live' && connection !== 'none';
  const badge = (s: string, panel = s) => <FreshnessBadge stream={s} row={freshOf(s)} offline={offline} replay={replay} testId={`fresh-${panel}`} />;
  const names = useMemo(() => new Map([...(places.data?.facilities ?? []).map((f) => [f.id, f.name] as const), ...(places.data?.markets ?? []).map((m) => [m.id, m.name] as const), ...(places.data?.wards.features ?? []).map((w) => [w.properties.code, w.properties.name] as const)]), [places.data]);
  const anyStale = fresh.data?.streams.some((s) => s.stale && roleChannels[user.role].includes(s.stream as never));

  // the live panels beside the map, in wall order; bodies are built only for the panels shown
  const sidePanels: Array<{ id: 'alerts' | 'capacity' | 'vaccination' | 'prices' | 'dossiers'; body: () => ReactNode }> = [
    { id: 'alerts', body: () => <AlertsPanel rows={localAlerts} mayAcknowledge={mayAcknowledge(user.role)} names={names} onAcknowledged={(e) => setLocalAlerts((a) => mergeAlerts(a, [e]))} /> },
    { id: 'capacity', body: () => <><CapacityPanel rows={shown.capacity} names={names} /><ForecastPanel /></> },
    { id: 'vaccination', body: () => <VaccinationPanel rows={shown.vaccination} /> },
    { id: 'prices', body: () => <PricesPanel rows={shown.prices} commodities={places.data?.commodities ?? []} /> },
    { id: 'dossiers', body: () => <DossiersPanel rows={shown.dossiers} /> },
  ];

  return (
    <div className={`wall ${kiosk ? 'kiosk' : ''} ${views.includes('map') ? 'with-map' : 'no-map'}`} data-role={user.role}>
      <header className="top">
        <h1>{kiosk ? t('app.short') : <><span className="long">{t('app.title')}</span><span className="short">{t('app.short')}</span></>}</h1>
        {connection === 'none' ? null : <span className={`conn ${connection}`} data-testid="connection" data-state={replay ? 'replay' : connection} role="status">
          {replay ? `⏪ ${t('live.replay')}` : connection === 'live' ? `● ${t('live.connected')}` : `⚠ ${t('live.disconnected')}`}
        </span>}
        {anyStale && !replay ? (
          <span className="conn disconnected" data-testid="stale-banner">
            ⚠ {t('fresh.staleShort')}
          </span>
        ) : null}
        {views.includes('map') ? <TimeSlider at={at} onChange={setAt} /> : null}
        {!kiosk ? (
          <>
            <LanguageSwitch />
            <span className="who">
              {user.username} · {t(`role.${user.role}`)}
            </span>
            <button type="button" onClick={onLogout} data-testid="logout">
              {t('app.logout')}
            </button>
          </>
        ) : null}
      </header>
      {pastError ? <p className="error">{t('error.load', { message: pastError })}</p> : null}
      {at && !past ? <p className="muted loading">{t('time.loading')}</p> : null}
      <main className="grid">
        {views.includes('map') && places.data ? (
          <Panel id="map" title={t('map.title')} className="map-panel" badge={badge('capacity', 'map')}>
            <CityMap places={places.data} capacity={shown.capacity} vaccination={shown.vaccination} prices={shown.prices} dossiers={shown.dossiers} metrics={roleMetrics[user.role]} scale={kiosk ? 1.5 : 1} selected={selected} onSelect={setSelected} />
            {selected ? <Detail selected={selected} shown={shown} names={names} onClose={() => setSelected(null)} /> : null}
          </Panel>
        ) : null}
        <div className="side">
          {sidePanels
            .filter((panel) => views.includes(panel.id))
            .map((panel) => (
              <Panel key={panel.id} id={panel.id} title={t(`${panel.id}.title`)} badge={badge(panel.id)}>
                {panel.body()}
              </Panel>
            ))}
        </div>
        {views.includes('kpi') ? (
          <Panel id="kpi" title={t('kpi.title')} className="wide">
            {mayExport(user.role) ? <ReportButtons /> : null}
            <KpiPanel mayExport={mayExport(user.role)} />
          </Panel>
        ) : null}
        {views.includes('sources') ? (
          <Panel id="sources" title={t('sources.title')} className="wide">
            <SourceHealthPanel />
          </Panel>
        ) : null}
        {views.includes('users') && !kiosk ? (
          <Panel id="users" title={t('users.title')} className="wide">
            <UsersPanel />
          </Panel>
        ) : null}
      </main>
      <footer className="bottom muted">{lang === 'vi' ? 'Giờ Việt Nam (UTC+7)' : 'Vietnam time (UTC+7)'}</footer>
    </div>
  );
}

/** what a click on the map opened: the place's current numbers */
function Detail({ selected, shown, names, onClose }: { selected: MapSelection; shown: Shown; names: Map<string, string>; onClose: () => void }) {
  const { lang, t } = useLang();
  let lines: string[] = [];
  if (selected.kind === 'facility')
    lines = shown.capacity.filter((r) => r.facility === selected.id).map((r) => `${t('map.tier', { tier: r.tier })}: ${t('capacity.freeOxygen')} ${formatNumber(lang, r.freeOxygenBeds)} / ${formatNumber(lang, r.oxygenBedsTotal)} · ICU ${formatNumber(lang, r.icuBedsTotal - r.icuBedsOccupied)}`);
  else if (selected.kind === 'market') lines = shown.prices.filter((r) => r.market === selected.id).map((r) => `${r.commodity}: ${formatShare(lang, r.deviation, 1, true)}`);
  else {
    const v = shown.vaccination.find((r) => r.ward === selected.id);
    lines = v ? [`${t('vaccination.coverage1')}: ${formatShare(lang, v.coverageDose1, 1)}`, `${t('vaccination.coverage2')}: ${formatShare(lang, v.coverageDose2, 1)}`, `${t('vaccination.booster')}: ${formatNumber(lang, v.booster)}`] : [];
  }
  return (
    <aside className="detail" data-testid="detail" aria-live="polite">
      <button type="button" className="close" onClick={onClose} aria-label="×">
        ×
      </button>
      <h3>{names.get(selected.id) ?? selected.id}</h3>
      <ul>
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </aside>
  );
}
