import { useState } from 'react';
import { z } from 'zod';
import { api } from '../api/client.ts';
import { formatDateTime } from '../format/format.ts';
import { usePolled } from '../live/use-polled.ts';
import { useLang } from '../shell/use-lang.ts';

const token = z.object({ tokenId: z.string(), label: z.string(), view: z.enum(['operator', 'health']), createdAt: z.string(), createdBy: z.string(), revokedAt: z.string().nullable(), revokedBy: z.string().nullable() });

/** the admin's wall tokens: create one for a wall screen (its address shown once), revoke one */
export function WallTokensPanel() {
  const { lang, t } = useLang();
  const list = usePolled((signal) => api('/wall-tokens', z.object({ tokens: z.array(token) }), { signal }), 0, []);
  const [label, setLabel] = useState('');
  const [view, setView] = useState<'operator' | 'health'>('operator');
  const [made, setMade] = useState<string>();
  const [error, setError] = useState<string>();
  const create = async () => {
    try {
      const r = await api('/wall-tokens', z.object({ url: z.string() }), { method: 'POST', body: { label, view } });
      setMade(location.origin + r.url);
      setLabel('');
      setError(undefined);
      list.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const revoke = async (id: string) => {
    await api(`/wall-tokens/${id}/revoke`, token, { method: 'POST' }).catch((e: unknown) => setError(String(e)));
    list.reload();
  };
  return (
    <div className="wall-tokens" data-testid="wall-tokens">
      <h3>{t('wallTokens.title')}</h3>
      <p className="muted small">{t('wallTokens.explain')}</p>
      <div className="user-form">
        <input aria-label={t('wallTokens.label')} placeholder={t('wallTokens.label')} value={label} onChange={(e) => setLabel(e.target.value)} />
        <select aria-label={t('wallTokens.view')} value={view} onChange={(e) => setView(e.target.value as 'operator' | 'health')}>
          <option value="operator">{t('role.operator')}</option>
          <option value="health">{t('role.health')}</option>
        </select>
        <button type="button" disabled={!label} onClick={() => void create()}>
          {t('wallTokens.create')}
        </button>
      </div>
      {made ? (
        <p data-testid="wall-token-url">
          {t('wallTokens.once')} <code>{made}</code>
        </p>
      ) : null}
      {error ? <p className="error">{error}</p> : null}
      <table>
        <tbody>
          {list.data?.tokens.map((w) => (
            <tr key={w.tokenId}>
              <td>{w.label}</td>
              <td>{t(`role.${w.view}`)}</td>
              <td className="muted">{formatDateTime(lang, w.createdAt)}</td>
              <td>
                {w.revokedAt ? (
                  <span className="muted">{t('wallTokens.revoked')}</span>
                ) : (
                  <button type="button" className="small" onClick={() => void revoke(w.tokenId)}>
                    {t('wallTokens.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
