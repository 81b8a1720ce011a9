import { api } from '../api/client.ts';
import { sourceHealthList } from '../api/foresight-schemas.ts';
import { formatDateTime, formatNumber, formatShare } from '../format/format.ts';
import { usePolled } from '../live/use-polled.ts';
import { useStreamLabel } from '../manifest/use-manifest.ts';
import { useLang } from '../shell/use-lang.ts';

/** each data source: ok/late/silent against its cadence, when it last reported, its rate, what share was refused and why */
export function SourceHealthPanel() {
  const { lang, t } = useLang();
  const label = useStreamLabel();
  const health = usePolled((signal) => api('/source-health', sourceHealthList, { signal }), 30_000, []);
  const rows = health.data?.sources ?? [];
  return (
    <div className="source-health table-wrap">
      {health.error ? <p className="error">{t('error.load', { message: health.error })}</p> : null}
      {health.data && rows.length === 0 ? <p className="muted">{t('sources.none')}</p> : null}
      {rows.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('sources.source')}</th>
              <th scope="col">{t('sources.status')}</th>
              <th scope="col">{t('sources.last')}</th>
              <th scope="col" className="num">{t('sources.perHour')}</th>
              <th scope="col" className="num">{t('sources.rejected')}</th>
              <th scope="col">{t('sources.reasons')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.source} data-source={r.source} data-status={r.status}>
                <td>
                  {r.source || '—'} <span className="muted small">{r.streams.map(label).join(', ')}</span>
                </td>
                <td>
                  <span className={`tag status-badge ${r.status}`} data-testid={`source-status-${r.source}`}>
                    {t(`sources.state.${r.status}`)}
                  </span>
                  {r.flags.rejectJump ? <span className="tag critical"> {t('sources.rejectJump')}</span> : null}
                </td>
                <td>{formatDateTime(lang, r.lastReceivedAt)}</td>
                <td className="num">{formatNumber(lang, r.eventsPerHour)}</td>
                <td className="num">{formatShare(lang, r.rejectShare24h, 1)}</td>
                <td className="small">{r.topReasons.length ? r.topReasons.map((x) => `${x.reason} (${formatNumber(lang, x.count)})`).join(', ') : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
