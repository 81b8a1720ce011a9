import type { ManifestStream } from '@haidang/stream/manifest';
import { lazy, type ReactNode } from 'react';
import type { AgencyRow, FacilityRow, FreshnessRow, MapData, PriceRow, Role, WardVaccination } from '../api/schemas.ts';
import type { Lang } from '../format/format.ts';
import type { Row } from '../live/stream-merge.ts';
import { retryingImport } from './retrying-import.ts';
import { mayPlace } from './role-views.ts';

// the panels come in one chunk (live-panels.ts) that the evaluator's first paint never downloads
const CapacityPanel = lazy(retryingImport(() => import('./live-panels.ts').then((m) => ({ default: m.CapacityPanel }))));
const DossiersPanel = lazy(retryingImport(() => import('./live-panels.ts').then((m) => ({ default: m.DossiersPanel }))));
const PricesPanel = lazy(retryingImport(() => import('./live-panels.ts').then((m) => ({ default: m.PricesPanel }))));
const StreamTable = lazy(retryingImport(() => import('./live-panels.ts').then((m) => ({ default: m.StreamTable }))));
const VaccinationPanel = lazy(retryingImport(() => import('./live-panels.ts').then((m) => ({ default: m.VaccinationPanel }))));
const PlacementPanel = lazy(retryingImport(() => import('./live-panels.ts').then((m) => ({ default: m.PlacementPanel }))));
const ForecastPanel = lazy(retryingImport(() => import('../forecast/forecast-panel.tsx').then((m) => ({ default: m.ForecastPanel }))));

/** what a stream's panels are drawn from */
export interface StreamPanelContext {
  stream: ManifestStream;
  rows: Row[];
  lang: Lang;
  t: (key: string, o?: Record<string, unknown>) => string;
  role: Role;
  kiosk: boolean;
  replay: boolean;
  /** the replay could not read this stream's past */
  notReplayed: boolean;
  names: Map<string, string>;
  commodities: MapData['commodities'];
  fresh: FreshnessRow | undefined;
  onAnswer: (ids: ReadonlySet<string> | null) => void;
  onPick: (facility: string) => void;
}

/** one box beside the map; `stream` gives it its freshness badge and stale dimming; the wall renders `body` inside a Suspense */
export interface SidePanel {
  id: string;
  title: string;
  stream?: string;
  body: () => ReactNode;
}

type Panels = (c: StreamPanelContext) => SidePanel[];
const rowsAs = <T,>(c: StreamPanelContext) => c.rows as unknown as T[];

/**
 * The wall's dedicated panels, by the manifest's `panel.component`. Capacity brings the
 * health centre's placement question before it and the oxygen-bed forecast after it.
 */
const dedicated: Readonly<Record<string, Panels>> = {
  capacity: (c) => [
    ...(c.kiosk || !mayPlace(c.role)
      ? []
      : [{ id: 'placement', title: c.t('placement.title'), stream: c.stream.name, body: () => <PlacementPanel rows={rowsAs<FacilityRow>(c)} names={c.names} fresh={c.fresh} onAnswer={c.onAnswer} onPick={c.onPick} /> }]),
    { id: 'capacity', title: c.stream.label[c.lang], stream: c.stream.name, body: () => <CapacityPanel rows={rowsAs<FacilityRow>(c)} names={c.names} compact={c.kiosk} /> },
    ...(c.role === 'evaluator'
      ? []
      : [{ id: 'forecast', title: c.t('forecast.title', { tier: 2, hours: 72 }), body: () => (c.replay ? <p className="muted" data-testid="forecast-replay">{c.t('forecast.notReplayed')}</p> : <ForecastPanel />) }]),
  ],
  vaccination: (c) => [{ id: 'vaccination', title: c.stream.label[c.lang], stream: c.stream.name, body: () => <VaccinationPanel rows={rowsAs<WardVaccination>(c)} compact={c.kiosk} /> }],
  prices: (c) => [{ id: 'prices', title: c.stream.label[c.lang], stream: c.stream.name, body: () => <PricesPanel rows={rowsAs<PriceRow>(c)} commodities={c.commodities} compact={c.kiosk} /> }],
  dossiers: (c) => [{ id: 'dossiers', title: c.stream.label[c.lang], stream: c.stream.name, body: () => <DossiersPanel rows={rowsAs<AgencyRow>(c)} compact={c.kiosk} /> }],
};

/** any other component ('table', or one this dashboard does not know): the generic current-state table */
const table: Panels = (c) => [
  {
    id: c.stream.name,
    title: c.stream.label[c.lang],
    stream: c.stream.name,
    body: () => (c.replay && c.notReplayed ? <p className="muted" data-testid={`not-replayed-${c.stream.name}`}>{c.t('table.notReplayed')}</p> : <StreamTable stream={c.stream} rows={c.rows} names={c.names} compact={c.kiosk} />),
  },
];

export const streamPanels = (c: StreamPanelContext): SidePanel[] => (dedicated[c.stream.panel.component] ?? table)(c);
