import { Glyph } from './glyph.tsx';
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { z } from 'zod';
import { api } from '../api/client.ts';
import { freshnessRow, mapData, type Me } from '../api/schemas.ts';
import { formatNumber, formatShare } from '../format/format.ts';
import { mergeAlerts, type LiveState } from '../live/live-state.ts';
import { useLive } from '../live/use-live.ts';
import { usePolled } from '../live/use-polled.ts';
import type { MapSelection } from '../map/city-map.tsx';
import { PlacementPanel } from '../placement/placement-panel.tsx';
import { useAlertChime } from './alert-chime.ts';
import { Clock } from './clock.tsx';
import { Headlines } from './headlines.tsx';
import { AlertsPanel } from '../panels/alerts-panel.tsx';
import { CapacityPanel } from '../panels/capacity-panel.tsx';
import { DossiersPanel } from '../panels/dossiers-panel.tsx';
import { FreshnessBadge } from '../panels/freshness-badge.tsx';
import { Panel } from '../panels/panel.tsx';
import { PricesPanel } from '../panels/prices-panel.tsx';
import { ReportButtons } from '../panels/report-buttons.tsx';
import { VaccinationPanel } from '../panels/vaccination-panel.tsx';
import { loadPast } from '../time/load-past.ts';
import { TimeSlider } from '../time/time-slider.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { mayAcknowledge, mayExport, roleChannels, roleMetrics, roleViews } from './role-views.ts';
import { useLang } from './use-lang.ts';
import { retryingImport } from './retrying-import.ts';

// split by role: deck.gl only for the roles with a map, uPlot only for the charts, the admin's
// tables only for the admin; the evaluator's first paint never downloads the map
const CityMap = lazy(retryingImport(() => import('../map/city-map.tsx').then((m) => ({ default: m.CityMap }))));
const FacilityCard = lazy(retryingImport(() => import('../map/facility-card.tsx').then((m) => ({ default: m.FacilityCard }))));
const ForecastPanel = lazy(retryingImport(() => import('../forecast/forecast-panel.tsx').then((m) => ({ default: m.ForecastPanel }))));
const KpiPanel = lazy(retryingImport(() => import('../panels/kpi-panel.tsx').then((m) => ({ default: m.KpiPanel }))));
const WallTokensPanel = lazy(retryingImport(() => import('../panels/wall-tokens-panel.tsx').then((m) => ({ default: m.WallTokensPanel }))));
const UsersPanel = lazy(retryingImport(() => import('../panels/users-panel.tsx').then((m) => ({ default: m.UsersPanel }))));
const SourceHealthPanel = lazy(retryingImport(() => import('../panels/source-health-panel.tsx').then((m) => ({ default: m.SourceHealthPanel }))));
const later = (node: ReactNode) => <Suspense fallback={<p className="muted">…</p>}>{node}</Suspense>;

type Shown = Pick<LiveState, 'capacity' | 'vaccination' | 'prices' | 'dossiers'>;

/** the signed-in wall: header (status, time, language), the map, and the panels of the user's role */
export function Wall({ user, kiosk, onLogout, onSessionEnded }: { user: Me; kiosk: boolean; onLogout: () => void; onSessionEnded: () => Promise<boolean> }) {
  const { lang, t } = useLang();
  const views = roleViews[user.role];
  const { state, connection } = useLive(roleChannels[user.role], onSessionEnded);
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
  const [answer, setAnswer] = useState<ReadonlySet<string> | null>(null);
  useAlertChime(localAlerts, kiosk && !replay);
  const channelsShown = roleChannels[user.role];
  const staleStreams = (fresh.data?.streams ?? []).filter((s) => s.stale && channelsShown.includes(s.stream as never)).map((s) => s.stream);
  const isStale = (s: string) => !replay && (offline || staleStreams.includes(s));
  const badge = (s: string, panel = s) => <FreshnessBadge stream={s} row={freshOf(s)} offline={offline} replay={replay} testId={`fresh-${panel}`} />;
  const names = useMemo(() => new Map([...(places.data?.facilities ?? []).map((f) => [f.id, f.name] as const), ...(places.data?.markets ?? []).map((m) => [m.id, m.name] as const), ...(places.data?.wards.features ?? []).map((w) => [w.properties.code, w.properties.name] as const)]), [places.data]);

  // the live panels beside the map, in wall order; bodies are built only for the panels shown
  type SideId = 'alerts' | 'placement' | 'capacity' | 'forecast' | 'vaccination' | 'prices' | 'dossiers';
  const sidePanels: Array<{ id: SideId; stream?: string; body: () => ReactNode }> = [
    { id: 'alerts', body: () => <AlertsPanel rows={localAlerts} mayAcknowledge={mayAcknowledge(user.role) && !user.wall} names={names} onAcknowledged={(e) => setLocalAlerts((a) => mergeAlerts(a, [e]))} /> },
    { id: 'placement', stream: 'capacity', body: () => <PlacementPanel rows={shown.capacity} names={names} fresh={freshOf('capacity')} onAnswer={setAnswer} onPick={(id) => setSelected({ kind: 'facility', id })} /> },
    { id: 'capacity', stream: 'capacity', body: () => <CapacityPanel rows={shown.capacity} names={names} compact={kiosk} /> },
    { id: 'forecast', body: () => (replay ? <p className="muted" data-testid="forecast-replay">{t('forecast.notReplayed')}</p> : later(<ForecastPanel />)) },
    { id: 'vaccination', stream: 'vaccination', body: () => <VaccinationPanel rows={shown.vaccination} compact={kiosk} /> },
    { id: 'prices', stream: 'prices', body: () => <PricesPanel rows={shown.prices} commodities={places.data?.commodities ?? []} compact={kiosk} /> },
    { id: 'dossiers', stream: 'dossiers', body: () => <DossiersPanel rows={shown.dossiers} compact={kiosk} /> },
  ];
  const showPanel = (id: SideId) => {
    if (id === 'forecast') return views.includes('capacity') && user.role !== 'evaluator';
    if (id === 'placement') return !kiosk && (user.role === 'health' || user.role === 'admin');
    // the wall screen shows every stream the role receives, not only its working panels
    if (kiosk) return id === 'alerts' ? channelsShown.includes('alerts') : channelsShown.includes(id as never);
    return views.includes(id as never);
  };
  const facilityRows = selected?.kind === 'facility' ? shown.capacity.filter((r) => r.facility === selected.id) : [];

  return (
    <div className={`wall ${kiosk ? 'kiosk' : ''} ${views.includes('map') ? 'with-map' : 'no-map'} ${offline ? 'offline' : ''}`} data-role={user.role} data-testid="wall">
      <header className="top">
        <h1>
          {kiosk ? (
            <>
              {t('app.short')} · <span className="city">{t('app.city')}</span>
            </>
          ) : (
            <>
              <span className="long">{t('app.title')}</span>
              <span className="short">{t('app.short')}</span>
            </>
          )}
        </h1>
        {kiosk ? <Clock /> : null}
        {kiosk && document.fullscreenEnabled ? (
          <button type="button" className="small fullscreen" onClick={() => void (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen())} data-testid="fullscreen">
            {t('app.fullscreen')}
          </button>
        ) : null}
        {connection === 'none' ? null : (
          <span className={`conn ${replay ? 'replay' : connection}`} data-testid="connection" data-state={replay ? 'replay' : connection} role="status">
            {replay ? t('live.replay') : connection === 'live' ? <><Glyph name="dot" /> {t('live.connected')}</> : <><Glyph name="warn" /> {t('live.disconnected')}</>}
          </span>
        )}
        {staleStreams.length && !replay && !offline ? (
          <span className="conn stale-names" data-testid="stale-banner" role="status">
            <Glyph name="warn" /> {t('fresh.staleNames', { streams: staleStreams.map((s) => t(`stream.${s}`)).join(', ') })}
          </span>
        ) : null}
        {views.includes('map') && !kiosk ? <TimeSlider at={at} onChange={setAt} /> : null}
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
      {offline ? (
        <p className="offline-banner" data-testid="offline-banner" role="alert">
          {t('live.lostConnection')}
        </p>
      ) : null}
      {pastError ? <p className="error">{t('error.load', { message: pastError })}</p> : null}
      {at && !past ? <p className="muted loading">{t('time.loading')}</p> : null}
      <main className={`grid ${kiosk ? 'kiosk-grid' : ''}`}>
        {views.includes('map') && places.data ? (
          <Panel id="map" title={t('map.title')} className="map-panel" badge={badge('capacity', 'map')}>
            {later(<CityMap places={places.data} capacity={shown.capacity} vaccination={shown.vaccination} prices={shown.prices} dossiers={shown.dossiers} metrics={roleMetrics[user.role]} scale={kiosk ? 1.4 : 1} selected={selected} onSelect={setSelected} highlight={answer} />)}
            {selected?.kind === 'facility' ? (
              later(<FacilityCard key={selected.id} id={selected.id} name={names.get(selected.id) ?? selected.id} rows={facilityRows} fresh={freshOf('capacity')} at={at} onClose={() => setSelected(null)} />)
            ) : selected ? (
              <Detail selected={selected} shown={shown} names={names} commodities={places.data.commodities} onClose={() => setSelected(null)} />
            ) : null}
          </Panel>
        ) : null}
        {kiosk ? <Headlines shown={shown} alerts={localAlerts} channels={channelsShown} stale={isStale} /> : null}
        <div className="side">
          {sidePanels
            .filter((panel) => showPanel(panel.id))
            .map((panel) => (
              <Panel key={panel.id} id={panel.id} title={t(`${panel.id}.title`, { tier: 2, hours: 72 })} badge={panel.stream ? badge(panel.stream, panel.id) : null} stale={panel.stream ? isStale(panel.stream) : false}>
                {panel.body()}
              </Panel>
            ))}
        </div>
        {views.includes('kpi') && !kiosk ? (
          <Panel id="kpi" title={t('kpi.title')} className="wide">
            {mayExport(user.role) ? <ReportButtons /> : null}
            {later(<KpiPanel mayExport={mayExport(user.role)} />)}
          </Panel>
        ) : null}
        {views.includes('sources') && !kiosk ? (
          <Panel id="sources" title={t('sources.title')} className="wide">
            {later(<SourceHealthPanel />)}
          </Panel>
        ) : null}
        {views.includes('users') && !kiosk && !user.wall ? (
          <Panel id="users" title={t('users.title')} className="wide">
            {later(<UsersPanel />)}
            {later(<WallTokensPanel />)}
          </Panel>
        ) : null}
      </main>
      {!kiosk ? <footer className="bottom muted">{lang === 'vi' ? 'Giờ Việt Nam (UTC+7)' : 'Vietnam time (UTC+7)'}</footer> : null}
    </div>
  );
}

/** what a click on the map opened: the place's current numbers */
function Detail({ selected, shown, names, commodities, onClose }: { selected: MapSelection; shown: Shown; names: Map<string, string>; commodities: Array<{ id: string; name: { vi: string; en: string } }>; onClose: () => void }) {
  const { lang, t } = useLang();
  let lines: string[] = [];
  if (selected.kind === 'market') lines = shown.prices.filter((r) => r.market === selected.id).map((r) => `${commodities.find((c) => c.id === r.commodity)?.name[lang] ?? r.commodity}: ${formatShare(lang, r.deviation, 1, true)}`);
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
