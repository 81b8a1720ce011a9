import { useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import { alertEpisode, type AlertEpisode } from '../api/schemas.ts';
import { formatDateTime, formatNumber, formatShare } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';

/** the live list of alert episodes, firing first; those who may acknowledge do it with a comment */
export function AlertsPanel({ rows, mayAcknowledge, names, onAcknowledged }: { rows: AlertEpisode[]; mayAcknowledge: boolean; names: Map<string, string>; onAcknowledged: (e: AlertEpisode) => void }) {
  const { lang, t } = useLang();
  const [open, setOpen] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const sorted = [...rows].sort((a, b) => (a.state === b.state ? b.startedAt.localeCompare(a.startedAt) : a.state === 'firing' ? -1 : 1));
  const send = async (e: AlertEpisode) => {
    try {
      const acked = await api(`/alerts/${e.episodeId}/acknowledge`, alertEpisode, { method: 'POST', body: { comment } });
      onAcknowledged(acked);
      setOpen(null);
      setComment('');
      setError(undefined);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  if (!rows.length) return <p className="muted">{t('alerts.none')}</p>;
  return (
    <ul className="alerts" aria-live="polite">
      {sorted.slice(0, 200).map((e) => (
        <li key={e.episodeId} className={`alert ${e.severity} ${e.state}`} data-testid="alert" data-episode={e.episodeId}>
          <div className="alert-line">
            <span className={`tag ${e.severity}`}>{t(`alerts.severity.${e.severity}`, { defaultValue: e.severity })}</span>
            <strong>{e.message[lang]}</strong>
          </div>
          <div className="muted">
            {names.get(e.entity) ?? e.entity} {e.series ? `· ${e.series}` : ''} · {e.threshold <= 1 ? formatShare(lang, e.value, 1) : formatNumber(lang, e.value)} · {formatDateTime(lang, e.startedAt)} · {e.state === 'firing' ? t('alerts.firing') : t('alerts.resolved')}
          </div>
          {e.acknowledgedBy ? (
            <div className="acked" data-testid="acked">✓ {t('alerts.ackedBy', { who: e.acknowledgedBy, comment: e.ackComment ?? '' })}</div>
          ) : mayAcknowledge ? (
            open === e.episodeId ? (
              <form
                className="ack-form"
                onSubmit={(ev) => {
                  ev.preventDefault();
                  void send(e);
                }}
              >
                <label>
                  {t('alerts.comment')}
                  {/* biome-ignore lint/a11y/noAutofocus: the form opens when the operator presses acknowledge; the comment it asks for takes the cursor */}
                  <input value={comment} onChange={(ev) => setComment(ev.target.value)} required maxLength={1000} autoFocus />
                </label>
                <button type="submit">{t('alerts.send')}</button>
                {error ? <span className="error">{error}</span> : null}
              </form>
            ) : (
              <button type="button" onClick={() => setOpen(e.episodeId)}>{t('alerts.acknowledge')}</button>
            )
          ) : null}
        </li>
      ))}
    </ul>
  );
}
