import type { DataStreamName } from '@haidang/stream';
import { defaultCadences, defaultTimeZone, reportingMsBetween, type StreamCadence, type StreamCadences } from '../state/freshness.ts';

/**
 * How often a data source is expected to report: the cadence of the streams it reports, from
 * the city pack, else its descriptor's default (api/src/state/freshness.ts, the one definition
 * the wall's badges and the manifest use too),
 * unless `cadenceBySource` names a source or a source prefix (`poller:`, `simulator:`); the
 * longest prefix wins.
 */
export const defaultCadenceSeconds: Record<DataStreamName, number> = Object.fromEntries(Object.entries(defaultCadences).map(([s, c]) => [s, c.cadenceMinutes * 60])) as Record<DataStreamName, number>;

/** the cadence that rules a source: its override (around the clock), else that of the stream it reports most often */
export function sourceCadence(source: string, streams: readonly DataStreamName[], bySource: Record<string, number> = {}, cadences: StreamCadences = defaultCadences): StreamCadence {
  let best: [string, number] | undefined;
  for (const [prefix, seconds] of Object.entries(bySource)) if (source.startsWith(prefix) && (!best || prefix.length > best[0].length)) best = [prefix, seconds];
  if (best) return { cadenceMinutes: best[1] / 60, hours: null };
  return streams.map((s) => cadences[s] ?? defaultCadences[s]).reduce((a, b) => (b.cadenceMinutes < a.cadenceMinutes ? b : a));
}

/** the cadence of a source in seconds */
export function cadenceOf(source: string, streams: readonly DataStreamName[], bySource: Record<string, number> = {}, cadences: StreamCadences = defaultCadences): number {
  return sourceCadence(source, streams, bySource, cadences).cadenceMinutes * 60;
}

export type Timeliness = 'ok' | 'late' | 'silent';

/** ok within one cadence of the last event, late within two, silent after that (seconds of silence in reporting hours) */
export function timeliness(silentSeconds: number | null, cadenceSeconds: number): Timeliness {
  if (silentSeconds === null || silentSeconds > 2 * cadenceSeconds) return 'silent';
  return silentSeconds > cadenceSeconds ? 'late' : 'ok';
}

/** the silence that counts: from the last event to now, inside the reporting hours only */
export function silentSeconds(lastMs: number | null, nowMs: number, c: StreamCadence, timeZone = defaultTimeZone): number | null {
  return lastMs === null ? null : Math.round(reportingMsBetween(lastMs, nowMs, c, timeZone) / 1000);
}
