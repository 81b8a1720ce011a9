import type { WardVaccination } from '../api/schemas.ts';
import { formatNumber, formatShare } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';

/** doses per ward and dose number, with coverage of the ward's population */
export function VaccinationPanel({ rows, compact = false }: { rows: WardVaccination[]; compact?: boolean }) {
  const { lang, t } = useLang();
  const total = rows.reduce((a, r) => ({ dose1: a.dose1 + r.dose1, dose2: a.dose2 + r.dose2, booster: a.booster + r.booster, pop: a.pop + (r.population ?? 0) }), { dose1: 0, dose2: 0, booster: 0, pop: 0 });
  // on the wall screen: the wards furthest behind first, as many as fit
  const sorted = compact ? [...rows].sort((a, b) => (a.coverageDose2 ?? 0) - (b.coverageDose2 ?? 0)).slice(0, 5) : [...rows].sort((a, b) => (a.name ?? a.ward).localeCompare(b.name ?? b.ward, 'vi', { numeric: true }));
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('vaccination.ward')}</th>
            <th scope="col" className="num">{t('vaccination.dose1')}</th>
            <th scope="col" className="num">{t('vaccination.dose2')}</th>
            <th scope="col" className="num">{t('vaccination.booster')}</th>
            <th scope="col" className="num">{t('vaccination.coverage2')}</th>
          </tr>
        </thead>
        <tbody>
          <tr className="total">
            <td>{t('vaccination.total')}</td>
            <td className="num" data-testid="vaccination-total-dose1">{formatNumber(lang, total.dose1)}</td>
            <td className="num">{formatNumber(lang, total.dose2)}</td>
            <td className="num">{formatNumber(lang, total.booster)}</td>
            <td className="num">{formatShare(lang, total.pop ? total.dose2 / total.pop : null, 1)}</td>
          </tr>
          {sorted.map((r) => (
            <tr key={r.ward}>
              <td>{r.name ?? r.ward}</td>
              <td className="num">{formatNumber(lang, r.dose1)}</td>
              <td className="num">{formatNumber(lang, r.dose2)}</td>
              <td className="num">{formatNumber(lang, r.booster)}</td>
              <td className="num">{formatShare(lang, r.coverageDose2, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
