import type { AlertEpisode } from '../api/schemas.ts';
import type { Merge, Row } from './stream-merge.ts';

/**
 * The live state of the wall: a snapshot per stream (from the socket's subscribe ack or,
 * when replaying the past, from the current-state routes), then deltas merged in. Streams are
 * keyed by name as the manifest gives them; the wall's own alerts channel is kept apart. Pure
 * functions, so the merge rules are tested without a browser. Each stream keeps a new array
 * identity only when something changed, which is what tells deck.gl (updateTriggers) and
 * React to redraw.
 */
export interface LiveState {
  /** rows per stream name */
  streams: Readonly<Record<string, Row[]>>;
  alerts: AlertEpisode[];
  /** wall-clock ms of the last snapshot or delta per stream name (and 'alerts') */
  updatedAt: Readonly<Record<string, number>>;
}
/** the wall's own channel: alert episodes, not a data stream of the manifest */
export const alertsChannel = 'alerts';

export const emptyLive: LiveState = { streams: {}, alerts: [], updatedAt: {} };

/** what the wall follows: per manifest stream its socket channel and merge */
export interface LivePlan {
  streams: ReadonlyArray<{ name: string; channel: string; merge: Merge }>;
}

/** an episode replaces its earlier version (fired → acknowledged → resolved); newest first */
export function mergeAlerts(rows: AlertEpisode[], items: AlertEpisode[]): AlertEpisode[] {
  if (!items.length) return rows;
  const byId = new Map(rows.map((r) => [r.episodeId, r]));
  for (const e of items) byId.set(e.episodeId, e);
  return [...byId.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export type LiveAction =
  /** `channel`: a stream's channel, or 'alerts' */
  | { type: 'snapshot'; channel: string; rows: unknown[]; at: number }
  /** a frame as the socket sends it: items per channel */
  | { type: 'delta'; frame: Readonly<Record<string, unknown[] | undefined>>; at: number }
  | { type: 'reset' };

/** the reducer of a plan: snapshots replace a stream's rows, deltas go through its merge; a channel not in the plan is ignored */
export function liveReducer(plan: LivePlan): (state: LiveState, action: LiveAction) => LiveState {
  const byChannel = new Map(plan.streams.map((s) => [s.channel, s]));
  return (state, action) => {
    switch (action.type) {
      case 'reset':
        return emptyLive;
      case 'snapshot': {
        // alerts merge: a list read before a live episode was stored must not drop that episode
        if (action.channel === alertsChannel) return { ...state, alerts: mergeAlerts(state.alerts, action.rows as AlertEpisode[]), updatedAt: { ...state.updatedAt, [alertsChannel]: action.at } };
        const s = byChannel.get(action.channel);
        if (!s) return state;
        return { ...state, streams: { ...state.streams, [s.name]: action.rows as Row[] }, updatedAt: { ...state.updatedAt, [s.name]: action.at } };
      }
      case 'delta': {
        const f = action.frame;
        const streams: Record<string, Row[]> = { ...state.streams };
        const updatedAt: Record<string, number> = { ...state.updatedAt };
        for (const [channel, items] of Object.entries(f)) {
          if (!items?.length) continue;
          if (channel === alertsChannel) {
            updatedAt[alertsChannel] = action.at;
            continue;
          }
          const s = byChannel.get(channel);
          if (!s) continue;
          streams[s.name] = s.merge(state.streams[s.name] ?? [], items as Row[]);
          updatedAt[s.name] = action.at;
        }
        return { ...state, streams, alerts: mergeAlerts(state.alerts, (f[alertsChannel] ?? []) as AlertEpisode[]), updatedAt };
      }
    }
  };
}
