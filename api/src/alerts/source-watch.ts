import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger, TopicNames } from '@haidang/stream';
import { sourceHealth } from '../source-health/source-health.ts';
import type { SourceHealth, SourceHealthOptions } from '../source-health/source-health.ts';
import type { AlertEngine } from './engine.ts';

/**
 * Silence is the absence of events, so no stored event can raise it: every `intervalMs` this
 * reads source health and hands each source's flags to the alert engine as readings (1 =
 * breached), so "source silent" and "reject share jumped" are episodes like any other —
 * fired once, acknowledged, resolved when the source reports again.
 */
export function watchSources(o: { store: ClickHouseClient; topics: TopicNames; alerts: AlertEngine; logger: Logger; intervalMs?: number; options?: SourceHealthOptions; onHealth?: (sources: SourceHealth[]) => void }): { check(): Promise<void>; stop(): void } {
  const check = async () => {
    try {
      const sources = await sourceHealth(o.store, o.topics, o.options);
      o.onHealth?.(sources);
      const at = Date.now();
      o.alerts.observe('source-silent', sources.map((s) => ({ entity: s.source, series: 'source', at, value: s.flags.silent ? 1 : 0 })));
      o.alerts.observe('source-reject-jump', sources.map((s) => ({ entity: s.source, series: 'source', at, value: s.flags.rejectJump ? 1 : 0 })));
      await o.alerts.idle();
    } catch (e) {
      o.logger.warn({ err: (e as Error).message }, 'source watch: could not read source health');
    }
  };
  const timer = setInterval(() => void check(), o.intervalMs ?? 60_000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
