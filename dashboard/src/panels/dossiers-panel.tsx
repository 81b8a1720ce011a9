import type { AgencyRow } from '../api/schemas.ts';
import { formatNumber, formatShare } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';

const target = 0.5;

/** online share against the plan's 50 % target (a bar with the target marked) and on-time rate, per agency */
export function DossiersPanel({ rows, compact = false }: { rows: AgencyRow[]; compact?: boolean }) {
  const { lang, t } = useLang();
  const all = rows.reduce((a, r) => ({ received: a.received + r.received, online: a.online + r.receivedOnline }), { received: 0, online: 0 });
  const citywide = all.received ? all.online / all.received : null;
  const sorted = [...rows].sort((a, b) => (a.onlineShare ?? 0) - (b.onlineShare ?? 0)).slice(0, compact ? 3 : undefined);
  return (
    <>
      <div className="kpi-strip">
        <div className="big">
          <span className={`big-value ${citywide !== null && citywide < target ? 'bad' : 'good'}`} data-testid="online-share-city">{formatShare(lang, citywide)}</span>
          <span className="big-label">{t('dossiers.online')} · {t('dossiers.target')} · {t('dossiers.last24h')}</span>
        </div>
      </div>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('dossiers.agency')}</th>
              <th scope="col" className="num">{t('dossiers.received')}</th>
              <th scope="col">{t('dossiers.online')}</th>
              <th scope="col" className="num">{t('dossiers.onTime')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={r.agency}>
                <td>{r.name?.[lang] ?? r.agency}</td>
                <td className="num">{formatNumber(lang, r.received)}</td>
                <td>
                  <span className="bar" role="img" aria-label={formatShare(lang, r.onlineShare)}>
                    <span className={`bar-fill ${(r.onlineShare ?? 0) < target ? 'bad' : 'good'}`} style={{ width: `${Math.round((r.onlineShare ?? 0) * 100)}%` }} />
                    <span className="bar-target" style={{ left: `${target * 100}%` }} />
                  </span>{' '}
                  {formatShare(lang, r.onlineShare)}
                </td>
                <td className="num">{formatShare(lang, r.onTimeRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
