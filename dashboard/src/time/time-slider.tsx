import { useEffect, useRef, useState } from 'react';
import { formatDateTime } from '../format/format.ts';
import { useLang } from '../shell/use-lang.ts';

const windowMs = 7 * 86_400_000;
const stepMs = 15 * 60_000;

/**
 * Replay: a slider over the last 7 days (15-minute steps, arrow keys move it). Releasing it
 * replays the map and panels at that moment; "Live" returns to the socket.
 */
export function TimeSlider({ at, onChange }: { at: Date | null; onChange: (d: Date | null) => void }) {
  const { lang, t } = useLang();
  const [now] = useState(() => Math.floor(Date.now() / stepMs) * stepMs);
  const [draft, setDraft] = useState<number | null>(null);
  const value = draft ?? (at ? at.getTime() : now);
  const commit = () => {
    if (draft === null) return;
    onChange(draft >= now ? null : new Date(draft));
    setDraft(null);
  };
  // arrow keys: one load when the keys rest, not one per press (each load is a set of requests)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const commitSoon = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(commit, 600);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <div className="time" data-testid="time-slider">
      <input
        type="range"
        min={now - windowMs}
        max={now}
        step={stepMs}
        value={value}
        aria-label={t('time.slider')}
        aria-valuetext={formatDateTime(lang, value)}
        onChange={(e) => setDraft(Number(e.target.value))}
        onPointerUp={commit}
        onKeyUp={commitSoon}
        onBlur={commit}
      />
      <span className={at ? 'replay-label' : 'live-label'}>{at ? t('time.at', { when: formatDateTime(lang, at) }) : draft ? formatDateTime(lang, draft) : t('time.live')}</span>
      {at ? (
        <button type="button" onClick={() => onChange(null)} data-testid="back-to-live">
          {t('time.back')}
        </button>
      ) : null}
    </div>
  );
}
