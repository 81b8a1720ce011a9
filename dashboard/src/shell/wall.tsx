import type { Manifest, ManifestStream } from '@haidang/stream/manifest';
import { Glyph } from './glyph.tsx';
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { z } from 'zod';
import { api } from '../api/client.ts';
import { freshnessRow, mapData, type FacilityRow, type Me, type PriceRow, type WardVaccination } from '../api/schemas.ts';
import { formatNumber, formatShare } from '../format/format.ts';
import { livePlan } from '../live/live-plan.ts';
import { mergeAlerts } from '../live/live-state.ts';
import type { Row } from '../live/stream-merge.ts';
import { useLive } from '../live/use-live.ts';
import { usePolled } from '../live/use-polled.ts';
import { streamOf, useManifest } from '../manifest/use-manifest.ts';
import type { MapSelection } from '../map/city-map.tsx';
import { useAlertChime } from './alert-chime.ts';
import { Clock } from './clock.tsx';
import { Headlines } from './headlines.tsx';
import { FreshnessBadge } from '../panels/freshness-badge.tsx';
import { Panel } from '../panels/panel.tsx';
import { ReportButtons } from '../panels/report-buttons.tsx';
import { loadPast, type Past } from '../time/load-past.ts';
import { TimeSlider } from '../time/time-slider.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { liveStreams, mayAcknowledge, mayExport, roleViews, wardMetricsOf } from './role-views.ts';
import { streamPanels, type SidePanel } from './stream-panels.tsx';
import { useLang } from './use-lang.ts';
import { retryingImport } from './retrying-import.ts';

// split by role: deck.gl only for the roles with a map, uPlot only for the charts, the admin's
// tables only for the admin; the evaluator's first paint never downloads the map
const CityMap = lazy(retryingImport(() => import('../map/city-map.tsx').then((m) => ({ default: m.CityMap }))));
const FacilityCard = lazy(retryingImport(() => import('../map/facility-card.tsx').then((m) => ({ default: m.FacilityCard }))));
const KpiPanel = lazy(retryingImport(() => import('../panels/kpi-panel.tsx').then((m) => ({ default: m.KpiPanel }))));
const WallTokensPanel = lazy(retryingImport(() => import('../panels/wall-tokens-panel.tsx').then((m) => ({ default: m.WallTokensPanel }))));
const UsersPanel = lazy(retryingImport(() => import('../panels/users-panel.tsx').then((m) => ({ default: m.UsersPanel }))));
const SourceHealthPanel = lazy(retryingImport(() => import('../panels/source-health-panel.tsx').then((m) => ({ default: m.SourceHealthPanel }))));
const AlertsPanel = lazy(retryingImport(() => import('./live-panels.ts').then((m) => ({ default: m.AlertsPanel }))));
const later = (node: ReactNode) => <Suspense fallback={<p className="muted">…</p>}>{node}</Suspense>;

/** rows per stream name: live, or the replayed past */
type Shown = Readonly<Record<string, Row[]>>;
/** one empty list for every stream without rows: a new [] per render would make the map recolour every frame */
const noRows: Row[] = [];
type WallProps = { user: Me; kiosk: boolean; onLogout: () => void; onSessionEnded: () => Promise<boolean> };

/** the signed-in wall, once the streams manifest is read (the wall holds no stream list of its own) */
export function Wall(props: WallProps) {
  const { t } = useLang();
  const { manifest, error } = useManifest();
  if (!manifest) return <p className={error ? 'error' : 'muted loading'} data-testid="manifest-loading">{error ? t('error.load', { message: error }) : '…'}</p>;
  return <WallOf {...props} manifest={manifest} />;
}

/** header (status, time, language), the map, and the panels of the user's role: the manifest's streams it may read, in the manifest's order */
function WallOf({ user, kiosk, onLogout, onSessionEnded, manifest }: WallProps & { manifest: Manifest }) {
  const { lang, t } = useLang();
  const views = roleViews[user.role];
  const streams = useMemo(() => liveStreams(manifest.streams, user.role), [manifest, user.role]);
  const plan = useMemo(() => livePlan(streams), [streams]);
  const { state, connection } = useLive(plan.streams, views.includes('alerts'), onSessionEnded);
  const [localAlerts, setLocalAlerts] = useState(state.alerts);
  useEffect(() => setLocalAlerts(state.alerts), [state.alerts]);
  const places = usePolled((signal) => api('/map', mapData, { signal }), 0, []);
  const fresh = usePolled((signal) => api('/freshness', z.object({ streams: z.array(freshnessRow) }), { signal }), 10_000, []);
  const freshOf = (s: string | undefined) => (s === undefined ? undefined : fresh.data?.streams.find((r) => r.stream === s));
  const [at, setAt] = useState<Date | null>(null);
  const [past, setPast] = useState<{ at: Date; data: Past } | null>(null);
  const [pastError, setPastError] = useState<string>();
  const [selected, setSelected] = useState<MapSelection | null>(null);

  useEffect(() => {
    if (!at || !places.data) return setPast(null);
    const ctrl = new AbortController();
    setPastError(undefined);
    loadPast(at, places.data, streams, ctrl.signal)
      .then((data) => setPast({ at, data }))
      .catch((e: unknown) => !ctrl.signal.aborted && setPastError(String(e)));
    return () => ctrl.abort();
  }, [at, places.data, streams]);

  const shown: Shown = at && past ? past.data.rows : state.streams;
  /** the rows of the stream a dedicated panel (or the map) draws, by component */
  const rowsOf = <T,>(component: string): T[] => {
    const s = streamOf(streams, component);
    return (s ? (shown[s.name] ?? noRows) : noRows) as unknown as T[];
  };
  const capacity = streamOf(streams, 'capacity');
  const replay = !!at;
  const offline = connection !== 'live' && connection !== 'none';
  const [answer, setAnswer] = useState<ReadonlySet<string> | null>(null);
  useAlertChime(localAlerts, kiosk && !replay);
  const staleStreams = streams.filter((s) => fresh.data?.streams.some((r) => r.stale && r.stream === s.name));
  const isStale = (s: string) => !replay && (offline || staleStreams.some((x) => x.name === s));
  const badge = (s: string | undefined, panel: string) => (s === undefined ? null : <FreshnessBadge stream={s} row={freshOf(s)} offline={offline} replay={replay} testId={`fresh-${panel}`} />);
  const names = useMemo(() => new Map([...(places.data?.facilities ?? []).map((f) => [f.id, f.name] as const), ...(places.data?.markets ?? []).map((m) => [m.id, m.name] as const), ...(places.data?.wards.features ?? []).map((w) => [w.properties.code, w.properties.name] as const)]), [places.data]);

  // the live panels beside the map, in wall order: the alerts, then each stream's panels in the
  // manifest's order (a dedicated panel by component, else the generic table); bodies are built only when shown
  const sidePanels: SidePanel[] = [
    ...(views.includes('alerts') ? [{ id: 'alerts', title: t('alerts.title'), body: () => <AlertsPanel rows={localAlerts} mayAcknowledge={mayAcknowledge(user.role) && !user.wall} names={names} onAcknowledged={(e) => setLocalAlerts((a) => mergeAlerts(a, [e]))} /> }] : []),
    ...streams.flatMap((stream: ManifestStream) =>
      streamPanels({
        stream, rows: shown[stream.name] ?? noRows, lang, t, role: user.role, kiosk, replay, notReplayed: !!past?.data.notReplayed.includes(stream.name), names,
        commodities: places.data?.commodities ?? [], fresh: freshOf(stream.name), onAnswer: setAnswer, onPick: (id) => setSelected({ kind: 'facility', id }),
      }),
    ),
  ];
  const facilityRows = selected?.kind === 'facility' ? rowsOf<FacilityRow>('capacity').filter((r) => r.facility === selected.id) : [];

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
            <Glyph name="warn" /> {t('fresh.staleNames', { streams: staleStreams.map((s) => s.label[lang]).join(', ') })}
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
          <Panel id="map" title={t('map.title')} className="map-panel" badge={badge(capacity?.name, 'map')}>
            {later(<CityMap places={places.data} capacity={rowsOf('capacity')} vaccination={rowsOf('vaccination')} prices={rowsOf('prices')} dossiers={rowsOf('dossiers')} metrics={wardMetricsOf(streams)} scale={kiosk ? 1.4 : 1} selected={selected} onSelect={setSelected} highlight={answer} />)}
            {selected?.kind === 'facility' ? (
              later(<FacilityCard key={selected.id} id={selected.id} name={names.get(selected.id) ?? selected.id} rows={facilityRows} fresh={freshOf(capacity?.name)} at={at} onClose={() => setSelected(null)} />)
            ) : selected ? (
              <Detail selected={selected} prices={rowsOf<PriceRow>('prices')} vaccination={rowsOf<WardVaccination>('vaccination')} names={names} commodities={places.data.commodities} onClose={() => setSelected(null)} />
            ) : null}
          </Panel>
        ) : null}
        {kiosk ? <Headlines streams={streams} shown={shown} alerts={localAlerts} withAlerts={views.includes('alerts')} stale={isStale} /> : null}
        <div className="side">
          {sidePanels.map((panel) => (
            <Panel key={panel.id} id={panel.id} title={panel.title} badge={badge(panel.stream, panel.id)} stale={panel.stream ? isStale(panel.stream) : false}>
              {later(panel.body())}
            </Panel>
          ))}
        </div>
        {views.includes('kpi') && !kiosk ? (
          <Panel id="kpi" title={t('kpi.title')} className="wide">
            {mayExport(user.role) ? <ReportButtons /> : null}
            {later(<KpiPanel mayExport={mayExport(user.role)} role={user.role} />)}
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
function Detail({ selected, prices, vaccination, names, commodities, onClose }: { selected: MapSelection; prices: PriceRow[]; vaccination: WardVaccination[]; names: Map<string, string>; commodities: Array<{ id: string; name: { vi: string; en: string } }>; onClose: () => void }) {
  const { lang, t } = useLang();
  let lines: string[] = [];
  if (selected.kind === 'market') lines = prices.filter((r) => r.market === selected.id).map((r) => `${commodities.find((c) => c.id === r.commodity)?.name[lang] ?? r.commodity}: ${formatShare(lang, r.deviation, 1, true)}`);
  else {
    const v = vaccination.find((r) => r.ward === selected.id);
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
