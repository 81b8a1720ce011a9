import type { FreshnessRow } from '../api/schemas.ts';
import { formatAge, formatDateTime } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';

/**
 * When the panel's data was last received and whether it is stale. The api decides
 * staleness (nothing received for two reporting cadences); a panel also counts as stale
 * while the live connection is down, because then nothing new can arrive.
 */
export function FreshnessBadge({ stream, row, offline, replay, testId = `fresh-${stream}` }: { stream: string; row: FreshnessRow | undefined; offline: boolean; replay: boolean; testId?: string }) {
  const { lang, t } = useLang();
  if (replay) return <span className="fresh replay" data-testid={testId}>{t('live.replay')}</span>;
  if (!row) return offline ? <span className="fresh stale" data-testid={testId} data-stale="true">⚠ {t('live.disconnected')}</span> : null;
  const stale = row.stale || offline;
  const age = formatAge(lang, row.ageSeconds);
  const text = !row.lastReceivedAt ? t('fresh.never') : stale ? t('fresh.stale', { age }) : t('fresh.updated', { age });
  return (
    <span className={`fresh ${stale ? 'stale' : 'ok'}`} data-testid={testId} data-stale={stale ? 'true' : 'false'} title={row.lastReceivedAt ? formatDateTime(lang, row.lastReceivedAt) : ''} role={stale ? 'status' : undefined}>
      {stale ? '⚠ ' : '● '}
      {text}
    </span>
  );
}
