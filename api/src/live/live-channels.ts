import type { IncomingMessage } from 'node:http';
import type { ClickHouseClient } from '@clickhouse/client';
import { Server, type Socket } from 'socket.io';
import { chTime, type AnyEvent, type Logger, type StreamName } from '@haidang/stream';
import { mayAccess, type Resource } from '../auth/roles.ts';
import { sessionCookie, type SessionClaims, type Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import type { Places } from '../places.ts';
import { capacityNow } from '../state/capacity.ts';
import { dossiersByAgency } from '../state/dossiers.ts';
import { pricesNow } from '../state/prices.ts';
import { vaccinationByWard } from '../state/vaccination.ts';

export interface LiveOptions {
  /** most frames one client receives per second; deltas in between are coalesced */
  framesPerSecond: number;
  /** largest message a client may send: subscriptions are tiny */
  maxHttpBufferSize: number;
}
const defaults: LiveOptions = { framesPerSecond: 2, maxHttpBufferSize: 8 * 1024 };

export const channels = ['capacity', 'vaccination', 'prices', 'dossiers', 'alerts', 'sources'] as const;
export type Channel = (typeof channels)[number];
const channelResource: Record<Channel, Resource> = { capacity: 'capacity', vaccination: 'vaccination', prices: 'prices', dossiers: 'dossiers', alerts: 'alerts', sources: 'sourceHealth' };

type User = SessionClaims & { exp: number };

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** one key per series of a stream, so a newer delta replaces an older one of the same series */
function seriesKey(e: AnyEvent): string {
  switch (e.stream) {
    case 'capacity':
      return `${e.entity}/${e.payload.tier}`;
    case 'prices':
      return `${e.entity}/${e.payload.commodity}`;
    case 'vaccination':
      return `${e.entity}/${e.payload.doseNumber}/${e.payload.vaccine}/${e.payload.ageGroup}/${e.id}`;
    case 'dossiers':
      return `${e.entity}/${e.payload.procedure ?? ''}/${e.id}`;
    default:
      return e.id;
  }
}

/**
 * socket.io on the api's own HTTP server. A WebSocket upgrade is not subject to CORS, so
 * `allowRequest` checks Origin against the same allowlist (cross-site WebSocket hijacking);
 * `io.use` admits a socket only with a valid session cookie; every `subscribe` re-checks
 * the session (io.use runs once per connection) and the role for that channel. A client gets
 * a snapshot, then deltas from `processor.onStored`, coalesced per series and sent at most
 * `framesPerSecond` times a second in one frame for all its channels. Sessions that expire or
 * are revoked are disconnected.
 */
export function attachLive(app: App, d: { sessions: Sessions; corsOrigins: string[]; logger: Logger; store: ClickHouseClient; places: Places; options?: Partial<LiveOptions> | undefined; sourceHealth?: () => Promise<unknown[]> }) {
  const o = { ...defaults, ...d.options };
  const log = d.logger.child({ component: 'live' });
  const io = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: o.maxHttpBufferSize,
    cors: { origin: d.corsOrigins, credentials: true },
    allowRequest: (req: IncomingMessage, cb) => {
      const origin = req.headers.origin;
      const own = origin && req.headers.host && new URL(origin).host === req.headers.host;
      // no Origin: not a browser, so no ambient cookie to hijack; the session check still applies
      cb(null, !origin || !!own || d.corsOrigins.includes(origin));
    },
  });

  io.use(async (socket, next) => {
    const token = cookieValue(socket.request.headers.cookie, sessionCookie);
    try {
      if (!token) throw new Error('no session');
      const user = app.jwt.verify<User>(token);
      if (await d.sessions.isRevoked(user.jti)) throw new Error('revoked');
      socket.data.user = user;
      next();
    } catch {
      next(new Error('unauthorized'));
    }
  });

  const pending = new Map<Channel, Map<string, unknown>>();
  const subscriptions = new Map<string, Set<Channel>>();

  const snapshot = async (channel: Channel): Promise<unknown> => {
    switch (channel) {
      case 'capacity':
        return capacityNow(d.store, d.places, { sort: 'freeOxygenBeds', order: 'desc' });
      case 'vaccination':
        return vaccinationByWard(d.store, d.places, {});
      case 'prices':
        return pricesNow(d.store, d.places, {});
      case 'dossiers':
        return dossiersByAgency(d.store, d.places, { from: chTime(new Date(Date.now() - 86_400_000)), to: chTime(new Date(Date.now() + 60_000)) }, {});
      case 'alerts':
        return null; // the alert list is read from GET /api/v1/alerts; only changes are pushed
      case 'sources':
        return d.sourceHealth ? d.sourceHealth() : [];
    }
  };

  const stillValid = async (socket: Socket): Promise<User | undefined> => {
    const user = socket.data.user as User | undefined;
    if (!user || user.exp * 1000 <= Date.now() || (await d.sessions.isRevoked(user.jti))) {
      socket.emit('session-ended');
      socket.disconnect(true);
      return undefined;
    }
    return user;
  };

  // whether the deltas are current (the api's live tail, distributed mode); a lagging tail is told to every socket
  let liveStatus: { live: boolean } = { live: true };

  io.on('connection', (socket) => {
    if (!liveStatus.live) socket.emit('live-status', liveStatus);
    subscriptions.set(socket.id, new Set());
    socket.on('disconnect', () => subscriptions.delete(socket.id));
    socket.on('subscribe', async (channel: unknown, ack?: (r: unknown) => void) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const user = await stillValid(socket);
      if (!user) return;
      if (typeof channel !== 'string' || !(channels as readonly string[]).includes(channel)) return reply({ ok: false, error: `channel must be one of ${channels.join(', ')}` });
      const c = channel as Channel;
      if (!mayAccess(user.role, channelResource[c])) return reply({ ok: false, error: `role "${user.role}" may not follow ${c}` });
      subscriptions.get(socket.id)?.add(c);
      try {
        reply({ ok: true, channel: c, snapshot: await snapshot(c) });
      } catch (e) {
        log.error({ err: e, channel: c }, 'snapshot failed');
        reply({ ok: false, error: 'snapshot failed' });
      }
    });
    socket.on('unsubscribe', (channel: unknown) => subscriptions.get(socket.id)?.delete(channel as Channel));
  });

  /**
   * One frame per distinct set of followed channels, sent to all its sockets at once
   * (`io.to(ids)` encodes the packet once): with 1,000 clients, encoding a frame per socket
   * and checking each session per frame took longer than the frame interval (bench/fanout.ts).
   * Sessions are checked on subscribe and by the sweep below instead.
   */
  const flush = async () => {
    if (!pending.size) return;
    const batch = new Map([...pending].map(([c, m]) => [c, [...m.values()]]));
    pending.clear();
    const groups = new Map<string, string[]>();
    for (const [id, subs] of subscriptions) {
      const key = [...subs].filter((c) => batch.has(c)).sort().join(',');
      if (!key) continue;
      const ids = groups.get(key) ?? [];
      ids.push(id);
      groups.set(key, ids);
    }
    for (const [key, ids] of groups) {
      const frame = Object.fromEntries(key.split(',').map((c) => [c, batch.get(c as Channel)]));
      io.to(ids).emit('delta', frame);
    }
  };
  // an expired or revoked session loses its socket within a few seconds, whether or not data flows
  const sweep = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) void stillValid(socket).catch(() => {});
  }, 5_000);
  sweep.unref();
  const timer = setInterval(() => void flush().catch((e: unknown) => log.error({ err: e }, 'live flush failed')), Math.ceil(1000 / o.framesPerSecond));
  timer.unref();

  const add = (channel: Channel, k: string, value: unknown) => {
    let m = pending.get(channel);
    if (!m) pending.set(channel, (m = new Map()));
    // a late report about an earlier time (a backfill) must not hide a newer one in the same
    // frame: keep the one observed last (the as-of order of the store), ties to the later arrival
    const held = m.get(k) as { observedAt?: string } | undefined;
    const next = value as { observedAt?: string };
    if (held?.observedAt && next.observedAt && Date.parse(next.observedAt) < Date.parse(held.observedAt)) return;
    m.delete(k); // re-insert: newest last
    m.set(k, value);
  };

  return {
    io,
    onStored(stream: StreamName, events: AnyEvent[]) {
      if (stream === 'alerts') return;
      for (const e of events) add(stream, seriesKey(e), { entity: e.entity, observedAt: e.observedAt, receivedAt: e.receivedAt, ...e.payload });
    },
    /** each source's health as the watcher last read it (source-watch.ts), one entry per source */
    publishSources(list: ReadonlyArray<{ source: string }>) {
      for (const h of list) add('sources', h.source, h);
    },
    /** `live-status` to every socket: `{ live: false, since, reason }` while updates are delayed, `{ live: true, since }` once current again */
    publishStatus(status: { live: boolean }) {
      if (status.live === liveStatus.live && status.live) return;
      liveStatus = status;
      io.emit('live-status', status);
    },
    publishAlert(episode: unknown) {
      const e = episode as { episodeId: string };
      add('alerts', e.episodeId, episode);
    },
    async close() {
      clearInterval(timer);
      clearInterval(sweep);
      await new Promise<void>((r) => io.close(() => r()));
    },
  };
}
