import type { Logger } from 'pino';
import type { AlertEngine, AlertEpisode } from './engine.ts';

/**
 * On an api instance that does not judge the alerts (distributed mode, without --alerts):
 * reads the episodes the judge saved since the last look and hands each to `onEpisode` (the
 * live `alerts` channel), so operators connected to any instance see an alert fire, resolve or
 * be acknowledged within a few seconds instead of at their next list refresh. Starts at the
 * newest version at start-up: history is read from GET /alerts, not replayed.
 */
export function followEpisodes(o: { alerts: Pick<AlertEngine, 'changedSince'>; logger: Logger; everyMs: number; onEpisode: (e: AlertEpisode) => void }): { stop(): Promise<void> } {
  let version: string | null = null;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const look = async () => {
    try {
      const next = await o.alerts.changedSince(version);
      version = next.version;
      for (const e of next.episodes) o.onEpisode(e);
    } catch (e) {
      o.logger.warn({ err: e }, 'alert episodes could not be read; trying again');
    }
  };
  running = look();
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(look);
  }, o.everyMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
