import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import DeckGL from '@deck.gl/react';
import type { PickingInfo } from '@deck.gl/core';
import { PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { AgencyRow, FacilityRow, MapData, PriceRow, WardVaccination } from '../api/schemas.ts';
import { formatNumber, formatShare } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';
import { characterSetOf } from './character-set.ts';
import { cssColour, critical, noDataColour, ok, sequential, watch } from './colour-scales.ts';
import {
  facilityLayerProps, facilityPoints, facilityTierLabelProps, fitView, marketLabelProps, marketLayerProps, marketPoints,
  labelsThatFit, rampMax, wardLabelProps, wardLabels, wardLayerProps, wardPolygons, wardValues, wardMetrics, type FacilityPoint, type MarketPoint, type WardMetric, type WardPolygon,
} from './layer-props.ts';

export const mapFont = 'Be Vietnam Pro, sans-serif';

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
}) {
  const { lang, t } = useLang();
  const [metric, setMetric] = useState<WardMetric>(p.metrics[0] ?? 'coverageDose1');
  const box = useRef<HTMLDivElement>(null);
  const polygons = useMemo(() => wardPolygons(p.places.wards.features), [p.places]);
  const characterSet = useMemo(() => characterSetOf(p.places.wards.features.map((f) => f.properties.name)), [p.places]);
  const values = useMemo(() => wardValues(metric, { vaccination: p.vaccination, dossiers: p.dossiers, agencies: p.places.agencies }), [metric, p.vaccination, p.dossiers, p.places]);
  const facilities = useMemo(() => facilityPoints(p.places.facilities, p.capacity), [p.places, p.capacity]);
  const markets = useMemo(() => marketPoints(p.places.markets, p.prices), [p.places, p.prices]);
  // versions: a new number whenever the inputs of a colour change
  const versions = useRef({ wards: 0, facilities: 0, markets: 0, last: { values, facilities, markets } });
  const v = versions.current;
  if (v.last.values !== values) v.wards++;
  if (v.last.facilities !== facilities) v.facilities++;
  if (v.last.markets !== markets) v.markets++;
  v.last = { values, facilities, markets };

  const domainMax = useMemo(() => rampMax(values.values()), [values]);
  // fit the city to the panel once its size is known (before the first paint)
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useLayoutEffect(() => setSize({ w: box.current?.clientWidth || 900, h: box.current?.clientHeight || 700 }), []);
  const initialView = useMemo(() => (size ? fitView(p.places.wards.features, size.w, size.h) : null), [p.places, size]);
  // labels are re-placed when the zoom changes by a quarter level, not on every pan frame
  const [zoom, setZoom] = useState<number | null>(null);
  const labels = useMemo(() => wardLabels(p.places.wards.features), [p.places]);
  const shownLabels = useMemo(() => labelsThatFit(labels, zoom ?? initialView?.zoom ?? 12, 13 * p.scale), [labels, zoom, initialView, p.scale]);
  const wardSel = p.selected?.kind === 'ward' ? p.selected.id : null;
  const layers = [
    new PolygonLayer(wardLayerProps({ polygons, values, metric, version: v.wards, selected: wardSel, domainMax })),
    new TextLayer(wardLabelProps(shownLabels, characterSet, mapFont, 13 * p.scale)),
    new ScatterplotLayer(facilityLayerProps(facilities, v.facilities, p.scale)),
    new TextLayer(facilityTierLabelProps(facilities, mapFont, p.scale)),
    new ScatterplotLayer(marketLayerProps(markets, v.markets, p.scale)),
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

  return (
    <div className="map-wrap" ref={box} data-testid="map" data-facilities-version={v.facilities} data-wards-version={v.wards}>
      {initialView ? <DeckGL
        initialViewState={initialView}
        controller={{ keyboard: true, dragRotate: false }}
        onViewStateChange={({ viewState }) => {
          const z = Math.round((viewState as { zoom: number }).zoom * 4) / 4;
          if (z !== zoom) setZoom(z);
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
      /> : null}
      <div className="legend" aria-label="legend">
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
        <div className="ramp" aria-hidden="true" style={{ background: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((x) => cssColour(sequential(x, 255))).join(', ')})` }} />
        <div className="ramp-labels">
          <span>{formatShare(lang, 0)}</span>
          <span>{formatShare(lang, domainMax / 2, domainMax < 0.02 ? 1 : 0)}</span>
          <span data-testid="ramp-max">{formatShare(lang, domainMax, domainMax < 0.02 ? 1 : 0)}</span>
        </div>
        <div>
          <span className="swatch" style={{ background: cssColour(noDataColour) }} /> {t('map.noData')}
        </div>
        <div className="legend-title">{t('map.facilities')}</div>
        <div>
          <span className="swatch round" style={{ background: cssColour(ok) }} /> &lt; 70% <span className="swatch round" style={{ background: cssColour(watch) }} /> 70–85% <span className="swatch round" style={{ background: cssColour(critical) }} /> ≥ 85% {t('map.occupancy').toLowerCase()}
        </div>
        <div className="legend-title">{t('map.markets')}</div>
        <div>
          <span className="swatch ring" style={{ background: cssColour(ok) }} /> &lt; +5% <span className="swatch ring" style={{ background: cssColour(watch) }} /> +5–10% <span className="swatch ring" style={{ background: cssColour(critical) }} /> ≥ +10%
        </div>
        <p className="schematic" data-testid="schematic-note">⚠ {t('map.schematic')}</p>
      </div>
    </div>
  );
}

export { wardMetrics };
