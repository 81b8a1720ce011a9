import type { MapData, PriceRow } from '../api/schemas.ts';
import { formatShare, formatVnd } from '../format/format.ts';
import { cssColour, deviationColour } from '../map/colour-scales.ts';
import { useLang } from '../shell/use-lang.ts';

/** price per commodity and market against its baseline (7-day median, else the city pack's), largest rise first */
export function PricesPanel({ rows, commodities, compact = false }: { rows: PriceRow[]; commodities: MapData['commodities']; compact?: boolean }) {
  const { lang, t } = useLang();
  const names = new Map(commodities.map((c) => [c.id, c.name[lang]]));
  const sorted = [...rows].sort((a, b) => (b.deviation ?? -9) - (a.deviation ?? -9)).slice(0, compact ? 5 : undefined);
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('prices.commodity')}</th>
            <th scope="col">{t('prices.market')}</th>
            <th scope="col" className="num">{t('prices.price')}</th>
            <th scope="col" className="num">{t('prices.baseline')}</th>
            <th scope="col" className="num">{t('prices.deviation')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={`${r.market}/${r.commodity}`}>
              <td>
                {names.get(r.commodity) ?? r.commodity} <span className="muted">/{r.unit}</span>
                {r.shortage ? <span className="tag critical"> {t('prices.shortage')}</span> : null}
              </td>
              <td>{r.marketName ?? r.market}</td>
              <td className="num strong">{formatVnd(lang, r.priceVnd)}</td>
              <td className="num muted" title={r.baselineSource === 'median-7d' ? t('prices.median') : t('prices.pack')}>{formatVnd(lang, r.baselineVnd)}</td>
              <td className="num" style={{ color: cssColour(deviationColour(r.deviation)) }}>{formatShare(lang, r.deviation, 1, true)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
