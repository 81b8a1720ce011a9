import { useEffect, useMemo, useReducer, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { api } from '../api/client.ts';
import { alertEpisode } from '../api/schemas.ts';
import { z } from 'zod';
import { snapshotRows, type FollowedStream } from './live-plan.ts';
import { alertsChannel, emptyLive, liveReducer, type LiveState } from './live-state.ts';

export type Connection = 'connecting' | 'live' | 'disconnected' | 'ended' | 'none';

/**
 * Follows the api's live channels: one socket.io connection (same origin, session cookie),
 * a snapshot per stream on every (re)connect — so a wall that lost the network shows current
 * numbers again by itself — then deltas. The streams and their channels are the manifest's
 * (live-plan.ts); a stream whose channel gives no snapshot starts from its current-state
 * route. Alerts start from GET /alerts (the socket only pushes changes). socket.io reconnects
 * with backoff; the state says when it is not live.
 */
export function useLive(streams: readonly FollowedStream[], alerts: boolean, onSessionEnded: () => Promise<boolean>): { state: LiveState; connection: Connection } {
  const key = [...streams.map((s) => s.channel), ...(alerts ? [alertsChannel] : [])].join(',');
  // `streams` keeps its identity while the manifest and the role do (the wall memoises its plan)
  const reducer = useMemo(() => liveReducer({ streams }), [streams]);
  const [state, dispatch] = useReducer(reducer, emptyLive);
  const [connection, setConnection] = useState<Connection>(key ? 'connecting' : 'none');

  // biome-ignore lint/correctness/useExhaustiveDependencies: one socket per set of channels (`key` is the channels joined), not per render; `onSessionEnded` is read when the session ends
  useEffect(() => {
    if (!key) return;
    const socket: Socket = io({ path: '/socket.io', withCredentials: true, reconnectionDelay: 500, reconnectionDelayMax: 5000, transports: ['websocket', 'polling'] });
    const loadAlerts = () =>
      api('/alerts?limit=200', z.object({ alerts: z.array(alertEpisode) }))
        .then((r) => dispatch({ type: 'snapshot', channel: alertsChannel, rows: r.alerts, at: Date.now() }))
        .catch(() => {});
    const loadCurrent = (s: FollowedStream) =>
      api(s.currentPath, z.unknown())
        .then((answer) => {
          const rows = snapshotRows(s, answer);
          if (rows) dispatch({ type: 'snapshot', channel: s.channel, rows, at: Date.now() });
        })
        .catch(() => {});
    const subscribeAll = () => {
      if (alerts) socket.emit('subscribe', alertsChannel, (ack: { ok: boolean }) => ack?.ok && void loadAlerts());
      for (const s of streams) {
        socket.emit('subscribe', s.channel, (ack: { ok: boolean; snapshot?: unknown }) => {
          const rows = ack?.ok ? snapshotRows(s, ack.snapshot) : undefined;
          if (rows) dispatch({ type: 'snapshot', channel: s.channel, rows, at: Date.now() });
          else void loadCurrent(s);
        });
      }
    };
    socket.on('connect', () => {
      setConnection('live');
      subscribeAll();
    });
    // fresh snapshots every 2 minutes: deltas are coalesced per series by arrival, so a
    // backfilled report can hide a newer one in the same frame, and counts (doses, dossiers)
    // cannot see corrections; the snapshot is the truth the wall returns to
    const refresh = setInterval(() => socket.connected && subscribeAll(), 120_000);
    // the session ended (expiry, revocation, a restarted server with a new secret): sign in again
    // (a wall screen does it with its token) and reconnect; socket.io does not retry a refusal
    let resuming = false;
    const resume = async () => {
      if (resuming) return;
      resuming = true;
      const again = await onSessionEnded().catch(() => false);
      resuming = false;
      if (again) socket.connect();
      else setConnection('ended');
    };
    socket.on('disconnect', () => setConnection('disconnected'));
    // the browser knows at once when its network is gone; socket.io would notice at the next missed ping
    const offline = () => setConnection('disconnected');
    // back online: live again if the socket survived the gap, else socket.io's reconnect says so
    const online = () => socket.connected && setConnection('live');
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    socket.on('connect_error', (err: Error) => {
      setConnection('disconnected');
      if (err.message === 'unauthorized') void resume();
    });
    socket.on('delta', (frame: Record<string, unknown[]>) => dispatch({ type: 'delta', frame, at: Date.now() }));
    socket.on('session-ended', () => {
      setConnection('disconnected');
      void resume();
    });
    // the harness of the frame benchmark (bench/dashboard-frames.ts) feeds synthetic frames through the same reducer
    (window as unknown as { __haidangInject?: (f: unknown) => void }).__haidangInject = (f) => {
      const x = f as { snapshot?: { channel: string; rows: unknown[] }; delta?: Record<string, unknown[]> };
      if (x.snapshot) dispatch({ type: 'snapshot', channel: x.snapshot.channel, rows: x.snapshot.rows, at: Date.now() });
      if (x.delta) dispatch({ type: 'delta', frame: x.delta, at: Date.now() });
    };
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      clearInterval(refresh);
      socket.close();
    };
  }, [key]);

  return { state, connection };
}
