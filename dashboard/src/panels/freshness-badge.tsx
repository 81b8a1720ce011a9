import { Glyph } from '../shell/glyph.tsx';
import type { FreshnessRow } from '../api/schemas.ts';
import { formatAge, formatDateTime } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';

/**
 * When the panel's data was last received and whether it is stale. The api decides
 * staleness with the city pack's cadence and reporting hours (a source silent only outside
 * its hours is not stale, and the badge says it is outside them). A lost connection is said
 * as such: then it is the wall that hears nothing, not the source that is silent.
 */
export function FreshnessBadge({ stream, row, offline, replay, testId = `fresh-${stream}` }: { stream: string; row: FreshnessRow | undefined; offline: boolean; replay: boolean; testId?: string }) {
  const { lang, t } = useLang();
  if (replay) return <span className="fresh replay" data-testid={testId}>{t('live.replay')}</span>;
  if (offline)
    return (
      <span className="fresh stale" data-testid={testId} data-stale="true" data-reason="offline">
        <Glyph name="warn" /> {t('fresh.offline')}
      </span>
    );
  if (!row) return null;
  const stale = row.stale;
  const age = formatAge(lang, row.ageSeconds);
  const hours = row.reportingHours && row.outsideHours ? ` · ${t('fresh.outsideHours', { from: row.reportingHours.from, to: row.reportingHours.to })}` : '';
  const text = !row.lastReceivedAt ? t('fresh.never') : stale ? t('fresh.stale', { age }) : t('fresh.updated', { age }) + hours;
  return (
    <span className={`fresh ${stale ? 'stale' : 'ok'}`} data-testid={testId} data-stale={stale ? 'true' : 'false'} data-reason={stale ? 'source' : row.outsideHours ? 'outside-hours' : 'fresh'} title={row.lastReceivedAt ? formatDateTime(lang, row.lastReceivedAt) : ''} role={stale ? 'status' : undefined}>
      {stale ? <><Glyph name="warn" />{' '}</> : null}
      {text}
    </span>
  );
}
