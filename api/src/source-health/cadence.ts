import type { DataStreamName } from '@haidang/stream';

/**
 * How often a data source is expected to report, by stream: hospitals report beds hourly;
 * registries, bulletins and the portal report once a day. The city pack has no cadence
 * field yet, so these defaults apply unless `cadenceBySource` names a source or a source
 * prefix (`poller:`, `simulator:`); the longest prefix wins.
 */
export const defaultCadenceSeconds: Record<DataStreamName, number> = {
  capacity: 3_600,
  vaccination: 86_400,
  prices: 86_400,
  dossiers: 86_400,
};

/** the cadence of a source: its override, else the shortest of the streams it reports */
export function cadenceOf(source: string, streams: readonly DataStreamName[], bySource: Record<string, number> = {}): number {
  let best: [string, number] | undefined;
  for (const [prefix, seconds] of Object.entries(bySource)) if (source.startsWith(prefix) && (!best || prefix.length > best[0].length)) best = [prefix, seconds];
  if (best) return best[1];
  return Math.min(...streams.map((s) => defaultCadenceSeconds[s]));
}

export type Timeliness = 'ok' | 'late' | 'silent';

/** ok within one cadence of the last event, late within two, silent after that */
export function timeliness(ageSeconds: number | null, cadenceSeconds: number): Timeliness {
  if (ageSeconds === null || ageSeconds > 2 * cadenceSeconds) return 'silent';
  return ageSeconds > cadenceSeconds ? 'late' : 'ok';
}
