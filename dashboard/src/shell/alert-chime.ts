import { useEffect, useRef } from 'react';
import type { AlertEpisode } from '../api/schemas.ts';

/**
 * A short two-tone chime when a new alert episode fires (not for those already firing when the
 * wall opened), so an operator looking away hears it. Web Audio, no sound file; a browser that
 * has not allowed sound yet (no click on the page) stays silent rather than failing.
 */
export function useAlertChime(alerts: AlertEpisode[], on: boolean): void {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    const firing = alerts.filter((a) => a.state === 'firing');
    if (seen.current === null) {
      if (alerts.length) seen.current = new Set(firing.map((a) => a.episodeId));
      return;
    }
    const fresh = firing.filter((a) => !seen.current!.has(a.episodeId));
    for (const a of fresh) seen.current.add(a.episodeId);
    if (!on || !fresh.length) return;
    try {
      const ctx = new AudioContext();
      if (ctx.state !== 'running') return void ctx.close();
      [880, 660].forEach((hz, i) => {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = hz;
        gain.gain.setValueAtTime(0.2, ctx.currentTime + i * 0.25);
        gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + i * 0.25 + 0.22);
        osc.connect(gain).connect(ctx.destination);
        osc.start(ctx.currentTime + i * 0.25);
        osc.stop(ctx.currentTime + i * 0.25 + 0.25);
      });
      setTimeout(() => void ctx.close(), 1000);
    } catch {
      /* no audio on this device */
    }
  }, [alerts, on]);
}
