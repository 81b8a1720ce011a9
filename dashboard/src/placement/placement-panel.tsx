import { useMemo, useState } from 'react';
import type { FacilityRow, FreshnessRow } from '../api/schemas.ts';
import { formatAge, formatNumber } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';
import { placements, supportLevels, tiersFor, type SupportLevel } from './placement.ts';

/**
 * The health centre's question, answered in one look: pick the support the patient needs,
 * see the facilities at the right tier with free oxygen beds now, ranked, with how fresh each
 * report is. The same answer is ringed on the map (onAnswer); a row opens the facility card.
 */
export function PlacementPanel({ rows, names, fresh, onAnswer, onPick }: { rows: FacilityRow[]; names: Map<string, string>; fresh: FreshnessRow | undefined; onAnswer: (ids: ReadonlySet<string> | null) => void; onPick: (facility: string) => void }) {
  const { lang, t } = useLang();
  const [support, setSupport] = useState<SupportLevel | null>(null);
  const staleAfterMs = 2 * (fresh?.cadenceSeconds ?? 3600) * 1000;
  const now = Date.now();
  const answer = useMemo(() => (support ? placements(rows, support, { now, staleAfterMs }) : []), [rows, support, staleAfterMs, now]);
  const pick = (s: SupportLevel | null) => {
    setSupport(s);
    onAnswer(s ? new Set(placements(rows, s, { now: Date.now(), staleAfterMs }).map((p) => p.facility)) : null);
  };
  return (
    <div className="placement" data-testid="placement">
      <div className="support-pick" role="radiogroup" aria-label={t('placement.question')}>
        {supportLevels.map((s) => (
          // biome-ignore lint/a11y/useSemanticElements: a second press clears the choice, which a native radio cannot do
          <button key={s} type="button" role="radio" aria-checked={support === s} className={support === s ? 'on' : ''} onClick={() => pick(support === s ? null : s)} data-testid={`support-${s}`}>
            {t(`placement.support.${s}`)}
          </button>
        ))}
      </div>
      {support ? (
        <>
          <p className="muted small">{t('placement.rule', { tiers: tiersFor[support].join(', ') })}</p>
          {answer.length === 0 ? (
            <p className="error" data-testid="placement-none">{t('placement.none')}</p>
          ) : (
            <ol className="placement-list" data-testid="placement-list">
              {answer.slice(0, 8).map((p, i) => (
                <li key={`${p.facility}/${p.tier}`} data-facility={p.facility} data-tier={p.tier} data-free={p.freeOxygenBeds} data-stale={p.stale ? 'true' : 'false'} className={p.stale ? 'stale-value' : ''}>
                  <button type="button" className="placement-row" onClick={() => onPick(p.facility)}>
                    <span className="rank">{i + 1}</span>
                    <span className="placement-name">
                      {names.get(p.facility) ?? p.facility} <span className="muted">· {t('map.tier', { tier: p.tier })}</span>
                    </span>
                    <span className="placement-free">
                      <strong>{formatNumber(lang, p.freeOxygenBeds)}</strong> {t('placement.freeBeds')}
                    </span>
                    <span className="muted small">
                      ICU {formatNumber(lang, p.freeIcuBeds)} · {t('card.ventilators')} {formatNumber(lang, p.freeVentilators)}
                    </span>
                    <span className={`fresh ${p.stale ? 'stale' : 'ok'}`} data-stale={p.stale ? 'true' : 'false'}>
                      {p.stale ? t('placement.staleReport', { age: formatAge(lang, (now - Date.parse(p.receivedAt)) / 1000) }) : t('fresh.updated', { age: formatAge(lang, (now - Date.parse(p.receivedAt)) / 1000) })}
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          )}
        </>
      ) : (
        <p className="muted">{t('placement.pick')}</p>
      )}
    </div>
  );
}
