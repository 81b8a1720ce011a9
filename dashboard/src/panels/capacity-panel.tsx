import { useMemo, useState } from 'react';
import type { FacilityRow } from '../api/schemas.ts';
import { formatNumber, formatShare } from '../format/format.ts';
import { occupancyColour, cssColour } from '../map/colour-scales.ts';
import { useLang } from '../shell/use-lang.ts';

type SortKey = 'freeOxygenBeds' | 'oxygenOccupancy' | 'name' | 'tier';
/** rows drawn at most: a wall cannot show thousands, and React would spend a frame on each update */
const maxRows = 60;

/** totals per tier, then every facility with its free oxygen beds (sortable) */
export function CapacityPanel({ rows, names, compact = false }: { rows: FacilityRow[]; names: Map<string, string>; compact?: boolean }) {
  const { lang, t } = useLang();
  const [sort, setSort] = useState<SortKey>('freeOxygenBeds');
  const [desc, setDesc] = useState(true);
  const tiers = useMemo(() => {
    const m = new Map<number, { total: number; occupied: number; beds: number; icuFree: number }>();
    for (const r of rows) {
      const s = m.get(r.tier) ?? { total: 0, occupied: 0, beds: 0, icuFree: 0 };
      s.total += r.oxygenBedsTotal;
      s.occupied += r.oxygenBedsOccupied;
      s.beds += r.bedsTotal;
      s.icuFree += r.icuBedsTotal - r.icuBedsOccupied;
      m.set(r.tier, s);
    }
    return [...m.entries()].sort((a, b) => a[0] - b[0]);
  }, [rows]);
  const freeNow = rows.reduce((a, r) => a + r.freeOxygenBeds, 0);
  const sorted = useMemo(() => {
    const v = (r: FacilityRow) => (sort === 'name' ? (r.name ?? names.get(r.facility) ?? r.facility) : sort === 'oxygenOccupancy' ? (r.oxygenOccupancy ?? -1) : r[sort]);
    return [...rows].sort((a, b) => {
      const x = v(a), y = v(b);
      const c = typeof x === 'string' ? x.localeCompare(String(y), lang) : x - (y as number);
      return desc ? -c : c;
    });
  }, [rows, sort, desc, lang, names]);
  const header = (k: SortKey, label: string, numeric = true) => (
    <th scope="col" className={numeric ? 'num' : ''} aria-sort={sort === k ? (desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => (sort === k ? setDesc(!desc) : (setSort(k), setDesc(true)))}>
        {label}
        {sort === k ? (desc ? ' ↓' : ' ↑') : ''}
      </button>
    </th>
  );
  return (
    <>
      <div className={`kpi-strip ${compact ? 'tiers' : ''}`}>
        {compact ? null : <div className="big" data-testid="free-oxygen-now">
          <span className="big-value">{formatNumber(lang, freeNow)}</span>
          <span className="big-label">{t('capacity.freeNow')}</span>
        </div>}
        {tiers.map(([tier, s]) => (
          <div className="big" key={tier} data-testid={`tier-${tier}`}>
            {/* the number under "free oxygen beds" is the free beds; occupancy is said in words beside it, in its colour */}
            <span className="big-value">{formatNumber(lang, s.total - s.occupied)}</span>
            <span className="big-label">
              {t('map.tier', { tier })}: {t('capacity.freeOf', { total: formatNumber(lang, s.total) })} ·{' '}
              <span style={{ color: cssColour(occupancyColour(s.total ? s.occupied / s.total : null)) }}>{t('capacity.inUse', { share: formatShare(lang, s.total ? s.occupied / s.total : null) })}</span>
            </span>
          </div>
        ))}
      </div>
      {compact ? null : <div className="table-wrap">
        <table>
          <thead>
            <tr>
              {header('name', t('capacity.facility'), false)}
              {header('tier', t('capacity.tier'))}
              {header('freeOxygenBeds', t('capacity.freeOxygen'))}
              {header('oxygenOccupancy', t('capacity.occupancy'))}
            </tr>
          </thead>
          <tbody>
            {sorted.slice(0, maxRows).map((r) => (
              <tr key={`${r.facility}/${r.tier}`} data-facility={r.facility}>
                <td>{r.name ?? names.get(r.facility) ?? r.facility}</td>
                <td className="num">{r.tier}</td>
                <td className="num strong">{formatNumber(lang, r.freeOxygenBeds)}</td>
                <td className="num">
                  <span className="dot" style={{ background: cssColour(occupancyColour(r.oxygenOccupancy)) }} aria-hidden="true" /> {formatShare(lang, r.oxygenOccupancy)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {sorted.length > maxRows ? <p className="muted">{t('capacity.more', { shown: maxRows, total: formatNumber(lang, sorted.length) })}</p> : null}
      </div>}
    </>
  );
}
