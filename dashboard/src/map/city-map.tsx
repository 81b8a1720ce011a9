import { Glyph } from '../shell/glyph.tsx';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import DeckGL from '@deck.gl/react';
import { WebMercatorViewport, type PickingInfo } from '@deck.gl/core';
import { IconLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { AgencyRow, FacilityRow, MapData, PriceRow, WardVaccination } from '../api/schemas.ts';
import { formatNumber, formatShare } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';
import { characterSetOf } from './character-set.ts';
import { cssColour, critical, noDataColour, ok, sequential, watch } from './colour-scales.ts';
import {
  facilityLayerProps, facilityPoints, facilityTierLabelProps, fitView, marketLabelProps, marketLayerProps, marketPoints, placeKeys, spreadPositions, tierRadiusPx, diamondAtlas,
  labelsThatFit, wardDomain, wardLabelProps, wardLabels, wardLayerProps, wardPolygons, wardValues, type FacilityPoint, type MarketPoint, type WardMetric, type WardPolygon,
} from './layer-props.ts';

const mapFont = 'Be Vietnam Pro, sans-serif';

export interface MapSelection {
  kind: 'ward' | 'facility' | 'market';
  id: string;
}

/**
 * The city drawn from the city pack alone (no tiles, no network): ward polygons coloured by
 * the chosen metric, facilities as circles sized by tier and coloured by oxygen-bed
 * occupancy, markets coloured by their largest price deviation. `version` bumps with every
 * data change; the layers keep their ids, so deck.gl only refreshes colours and labels.
 */
export function CityMap(p: {
  places: MapData;
  capacity: FacilityRow[];
  vaccination: WardVaccination[];
  prices: PriceRow[];
  dossiers: AgencyRow[];
  metrics: readonly WardMetric[];
  scale: number;
  onSelect: (s: MapSelection | null) => void;
  selected: MapSelection | null;
  /** the placement answer: these facilities are ringed, the others dimmed */
  highlight?: ReadonlySet<string> | null;
}) {
  const { lang, t } = useLang();
  const [metric, setMetric] = useState<WardMetric>(p.metrics[0] ?? 'coverageDose1');
  const box = useRef<HTMLDivElement>(null);
  const polygons = useMemo(() => wardPolygons(p.places.wards.features), [p.places]);
  const characterSet = useMemo(() => characterSetOf(p.places.wards.features.map((f) => f.properties.name)), [p.places]);
  const values = useMemo(() => wardValues(metric, { vaccination: p.vaccination, dossiers: p.dossiers, agencies: p.places.agencies, capacity: p.capacity, facilities: p.places.facilities }), [metric, p.vaccination, p.dossiers, p.places, p.capacity]);
  // fit the city to the panel once its size is known (before the first paint)
  // the size the city was fitted to (once), and the size now (panels around the map load later)
  const [fitSize, setFitSize] = useState<{ w: number; h: number } | null>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useLayoutEffect(() => {
    const measure = () => ({ w: box.current?.clientWidth || 900, h: box.current?.clientHeight || 700 });
    setFitSize(measure());
    setSize(measure());
    const ro = new ResizeObserver(() => setSize(measure()));
    if (box.current) ro.observe(box.current);
    return () => ro.disconnect();
  }, []);
  const initialView = useMemo(() => (fitSize ? fitView(p.places.wards.features, fitSize.w, fitSize.h) : null), [p.places, fitSize]);
  // labels and spread symbols are re-placed when the zoom changes by a quarter level, not on every pan frame
  const [view, setView] = useState<{ longitude: number; latitude: number; zoom: number } | null>(null);
  const current = view ?? initialView;
  const z = current ? Math.round(current.zoom * 4) / 4 : 12;
  const project = useMemo(() => (current && size ? new WebMercatorViewport({ width: size.w, height: size.h, ...current }) : null), [current, size]);
  const spread = useMemo(() => spreadPositions(placeKeys(p.places), z, 16 * p.scale), [p.places, z, p.scale]);
  const facilities = useMemo(() => facilityPoints(p.places.facilities, p.capacity, spread), [p.places, p.capacity, spread]);
  const markets = useMemo(() => marketPoints(p.places.markets, p.prices, spread), [p.places, p.prices, spread]);
  // versions: a new number whenever the inputs of a colour change
  const versions = useRef({ wards: 0, facilities: 0, markets: 0, last: { values, facilities, markets } });
  const v = versions.current;
  if (v.last.values !== values) v.wards++;
  if (v.last.facilities !== facilities) v.facilities++;
  if (v.last.markets !== markets) v.markets++;
  v.last = { values, facilities, markets };

  const domainMax = wardDomain[1];
  const atlas = useMemo(() => diamondAtlas(), []);
  const labels = useMemo(() => wardLabels(p.places.wards.features), [p.places]);
  const obstacles = useMemo(
    () => {
      const tierOf = new Map(p.places.facilities.map((f) => [`f:${f.id}`, f.tier]));
      return [...spread.entries()].map(([key, position]) => ({ position, radius: (key.startsWith('m:') ? 12 : (tierRadiusPx[tierOf.get(key) ?? 1] ?? 7) + 2) * p.scale }));
    },
    [spread, p.places, p.scale],
  );
  const shownLabels = useMemo(() => labelsThatFit(labels, z, 13 * p.scale, obstacles), [labels, z, p.scale, obstacles]);
  const wardSel = p.selected?.kind === 'ward' ? p.selected.id : null;
  const layers = [
    new PolygonLayer(wardLayerProps({ polygons, values, metric, version: v.wards, selected: wardSel, domainMax })),
    new TextLayer(wardLabelProps(shownLabels, characterSet, mapFont, 13 * p.scale)),
    new IconLayer(marketLayerProps(markets, v.markets, p.scale, atlas)),
    new ScatterplotLayer(facilityLayerProps(facilities, v.facilities, p.scale, p.highlight ?? null)),
    new TextLayer(facilityTierLabelProps(facilities, mapFont, p.scale)),
    new TextLayer(marketLabelProps(markets, v.markets, (d) => formatShare(lang, d, 0, true), mapFont, p.scale)),
  ];

  const tooltip = (info: PickingInfo) => {
    if (!info.object) return null;
    const id = info.layer?.id;
    if (id === 'wards') {
      const w = info.object as WardPolygon;
      return { text: `${w.name}\n${t(`map.${metric}`)}: ${formatShare(lang, values.get(w.code) ?? null, 1)}` };
    }
    if (id === 'facilities') {
      const f = info.object as FacilityPoint;
      return { text: `${f.name}\n${t('map.tier', { tier: f.tier })}\n${t('capacity.freeOxygen')}: ${formatNumber(lang, f.freeOxygenBeds)} / ${formatNumber(lang, f.oxygenBedsTotal)}\n${t('map.occupancy')}: ${formatShare(lang, f.occupancy)}` };
    }
    if (id === 'markets') {
      const m = info.object as MarketPoint;
      return { text: `${m.name}\n${t('prices.deviation')}: ${formatShare(lang, m.worstDeviation, 1, true)}${m.worstCommodity ? ` (${p.places.commodities.find((c) => c.id === m.worstCommodity)?.name[lang] ?? m.worstCommodity})` : ''}` };
    }
    return null;
  };

  const legendStops = [0, 0.25, 0.5, 0.75, 1];
  // where each symbol is drawn, for tests and screen readers: every facility can be found and
  // clicked. Built from the places and their spread positions only (not from the live numbers),
  // so a capacity update does not re-render thousands of list items.
  const placed = useMemo(() => ({ facilities: p.places.facilities.map((f) => ({ id: f.id, name: f.name, position: spread.get(`f:${f.id}`) ?? ([f.lon, f.lat] as [number, number]) })), markets: p.places.markets.map((m) => ({ id: m.id, name: m.name, position: spread.get(`m:${m.id}`) ?? ([m.lon, m.lat] as [number, number]) })) }), [p.places, spread]);
  const onSelect = p.onSelect;
  const symbolList = useMemo(() => {
    const px = (pos: [number, number]) => (project ? project.project(pos).map((n) => Math.round(n)) : [0, 0]);
    return (
      <ul className="visually-hidden" data-testid="map-symbols">
        {placed.facilities.map((f) => {
          const [x, y] = px(f.position);
          return (
            <li key={f.id} data-facility={f.id} data-x={x} data-y={y} data-highlight={p.highlight?.has(f.id) ? 'true' : 'false'}>
              <button type="button" onClick={() => onSelect({ kind: 'facility', id: f.id })}>{f.name}</button>
            </li>
          );
        })}
        {placed.markets.map((m) => {
          const [x, y] = px(m.position);
          return (
            <li key={m.id} data-market={m.id} data-x={x} data-y={y}>
              <button type="button" onClick={() => onSelect({ kind: 'market', id: m.id })}>{m.name}</button>
            </li>
          );
        })}
      </ul>
    );
  }, [placed, project, p.highlight, onSelect]);
  return (
    <div className="map-box">
      <div className="map-wrap" ref={box} data-testid="map" data-facilities-version={v.facilities} data-wards-version={v.wards} data-zoom={z.toFixed(2)}>
        {initialView ? (
          <DeckGL
            initialViewState={initialView}
            controller={{ keyboard: true, dragRotate: false }}
            onViewStateChange={({ viewState, interactionState }) => {
              const vs = viewState as { zoom: number; longitude: number; latitude: number };
              const q = Math.round(vs.zoom * 4) / 4;
              // re-placed at quarter-zoom steps and when a pan ends, not on every frame
              if (q !== z || !(interactionState?.isDragging || interactionState?.inTransition)) setView({ longitude: vs.longitude, latitude: vs.latitude, zoom: vs.zoom });
            }}
            layers={layers}
            getTooltip={tooltip}
            onClick={(info) => {
              const id = info.layer?.id;
              if (!info.object) return p.onSelect(null);
              if (id === 'wards') p.onSelect({ kind: 'ward', id: (info.object as WardPolygon).code });
              else if (id === 'facilities') p.onSelect({ kind: 'facility', id: (info.object as FacilityPoint).id });
              else if (id === 'markets') p.onSelect({ kind: 'market', id: (info.object as MarketPoint).id });
            }}
          />
        ) : null}
        {symbolList}
      </div>
      <div className="legend" role="note" aria-label={t('map.legend')} data-testid="legend">
        <div className="legend-item">
          {p.metrics.length > 1 ? (
            <label>
              {t('map.metric')}{' '}
              <select value={metric} onChange={(e) => setMetric(e.target.value as WardMetric)} data-testid="map-metric">
                {p.metrics.map((m) => (
                  <option key={m} value={m}>
                    {t(`map.${m}`)}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <strong>{t(`map.${metric}`)}</strong>
          )}
          <div className="ramp" aria-hidden="true" style={{ background: `linear-gradient(to right, ${legendStops.map((x) => cssColour(sequential(x, 255))).join(', ')})` }} />
          <div className="ramp-labels">
            {legendStops.map((x) => (
              <span key={x} data-testid={x === 1 ? 'ramp-max' : undefined}>
                {formatShare(lang, x * domainMax)}
              </span>
            ))}
          </div>
          <div className="muted">
            <span className="swatch" style={{ background: cssColour(noDataColour) }} /> {t('map.noData')} · {t('map.fixedScale')}
          </div>
          <p className="schematic" data-testid="schematic-note"><Glyph name="warn" /> {t('map.schematic')}</p>
        </div>
        <div className="legend-item">
          <div className="legend-title">
            <span className="swatch round" style={{ background: '#ccc' }} /> {t('map.facilities')}
          </div>
          <div>
            <span className="swatch round" style={{ background: cssColour(ok) }} /> &lt; 70% <span className="swatch round" style={{ background: cssColour(watch) }} /> 70–85% <span className="swatch round" style={{ background: cssColour(critical) }} /> 85–100% {t('map.occupancy').toLowerCase()}
          </div>
        </div>
        <div className="legend-item">
          <div className="legend-title">
            <span className="swatch diamond" style={{ background: '#ccc' }} /> {t('map.markets')}
          </div>
          <div>
            <span className="swatch diamond" style={{ background: cssColour(ok) }} /> &lt; +5% <span className="swatch diamond" style={{ background: cssColour(watch) }} /> +5–10% <span className="swatch diamond" style={{ background: cssColour(critical) }} /> +10% ↑
          </div>
        </div>
      </div>
    </div>
  );
}
