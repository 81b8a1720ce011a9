import type { IncomingMessage } from 'node:http';
import type { ClickHouseClient } from '@clickhouse/client';
import { Server, type Socket } from 'socket.io';
import { allDescriptors, descriptors, type AnyEvent, type DataStreamName, type Logger, type StreamName } from '@haidang/stream';
import { mayAccess, roles, type Resource } from '../auth/roles.ts';
import { sessionCookie, type SessionUser, type Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import type { Places } from '../places.ts';
import { currentState } from '../state/current-state.ts';
import { RoomFrames } from './room-frames.ts';
import { sharedSnapshots } from './shared-snapshots.ts';

export interface LiveOptions {
  /** the coalescing window (ms, HAIDANG_LIVE_WINDOW_MS): at most one frame per window, deltas in between are coalesced */
  windowMs: number;
  /** largest message a client may send: subscriptions are tiny */
  maxHttpBufferSize: number;
  /** most events one socket may send in 10 s; a socket sending more is disconnected */
  eventsPer10s: number;
  /** how often every socket's session is judged again (expiry, changes made through other api instances), ms */
  sweepMs: number;
}
const defaults: LiveOptions = { windowMs: 500, maxHttpBufferSize: 8 * 1024, eventsPer10s: 50, sweepMs: 5_000 };

/** a data stream's channel (its descriptor's `channel`), or the alert episodes, or source health */
export type Channel = string;
const streamOfChannel = new Map<string, DataStreamName>(descriptors.map((d) => [d.channel, d.name]));
const channelOfStream = new Map<DataStreamName, string>(descriptors.map((d) => [d.name, d.channel]));
const channelResource = new Map<Channel, Resource>([...descriptors.map((d) => [d.channel, d.name] as const), ['alerts', 'alerts'], ['sources', 'sourceHealth']]);
const channels: readonly Channel[] = [...channelResource.keys()];

type User = SessionUser;

/** the cookie's value, or undefined for a missing, repeated or malformed header */
function cookieValue(header: unknown, name: string): string | undefined {
  if (typeof header !== 'string' || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined; // a broken %-escape is no session
    }
  }
  return undefined;
}

/**
 * Whether a handshake's Origin may open a socket: absent (not a browser), the api's own
 * origin, or one in the allowlist. Anything else is refused, including `null` (sandboxed and
 * file:// pages), two Origin headers (Node joins them with a comma) and text that is no URL:
 * the header is untrusted input and is checked before anything parses it.
 */
function originAllowed(origin: unknown, host: unknown, allowlist: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (typeof origin !== 'string' || origin.length > 2048) return false;
  if (allowlist.includes(origin)) return true;
  if (typeof host !== 'string' || !/^https?:\/\/[^\s,/]+$/.test(origin) || !URL.canParse(origin)) return false;
  return new URL(origin).host === host;
}

/** a channel name as a client sends it: one of ours, or undefined (any other value or type) */
const channelOf = (value: unknown): Channel | undefined => (typeof value === 'string' && channelResource.has(value) ? value : undefined);

/** the dimension readers of each stream, from its descriptor */
const dimensionReaders = new Map(allDescriptors.map((d) => [d.name, d.fields.filter((f) => f.dimension).map((f) => f.read)]));
/** the counters (each report its own series), read once rather than per event */
const counterStreams = new Set<string>(descriptors.filter((d) => d.kind === 'counter').map((d) => d.name));

/**
 * One key per series of a stream, so a newer delta replaces an older one of the same series:
 * a gauge's entity and dimensions (the newest report is the state); a counter's reports all
 * count, so each keeps its own key (the event id).
 */
function seriesKey(e: AnyEvent): string {
  const dims = (dimensionReaders.get(e.stream) ?? []).map((read) => String(read(e.payload as never) ?? ''));
  return [e.entity, ...dims, ...(counterStreams.has(e.stream) ? [e.id] : [])].join('/');
}

/**
 * socket.io on the api's own HTTP server. A WebSocket upgrade is not subject to CORS, so
 * `allowRequest` checks Origin against the same allowlist (cross-site WebSocket hijacking),
 * validating the header before parsing it, and so does a middleware on every later request of
 * a session, which also refuses JSONP polling; `io.use` admits a socket only with a valid session
 * (`Sessions.check`, the same judgement as every HTTP route); every `subscribe` re-checks the
 * session and the role for that channel, and treats its arguments as untrusted (any type, any
 * number; more than `eventsPer10s` events disconnect the socket). A client gets a snapshot,
 * then deltas from `processor.onStored`, coalesced per series and sent at most once per
 * `windowMs`, one frame per channel built once for the rooms of the roles that may read it
 * (room-frames.ts), with the flush time (`{ flushedAt }`, ms) as second argument. When a user is changed
 * or deleted, or a session logs out, in this process, its sockets are disconnected at once
 * (`Sessions.onEnded`); a sweep every 5 s catches expiry and changes made on other instances.
 */
export function attachLive(app: App, d: { sessions: Sessions; corsOrigins: string[]; logger: Logger; store: ClickHouseClient; places: Places; options?: Partial<LiveOptions> | undefined; sourceHealth?: () => Promise<unknown[]> }) {
  const o = { ...defaults, ...d.options };
  const log = d.logger.child({ component: 'live' });
  // no Origin: not a browser, so no ambient cookie to hijack; the session check still applies
  const fromAllowedOrigin = (req: IncomingMessage): boolean => {
    try {
      return originAllowed(req.headers.origin, req.headers.host, d.corsOrigins);
    } catch (e) {
      log.warn({ err: e }, 'origin check failed');
      return false;
    }
  };
  const io = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: o.maxHttpBufferSize,
    cors: { origin: d.corsOrigins, credentials: true },
    allowRequest: (req: IncomingMessage, cb) => {
      const ok = fromAllowedOrigin(req);
      cb(ok ? null : 'origin not allowed', ok);
    },
  });

  // Every engine.io request, not only the handshake `allowRequest` sees: the polls and posts
  // of an open session carry its id, and a page on a sibling origin of the same site (the
  // SameSite=Strict cookie goes there too) could otherwise post `subscribe` into a session it
  // opened with a <script> tag. So JSONP polling (`j`, a <script> transport read across
  // origins) is refused outright, a foreign Origin is refused on every request, and answers
  // say `nosniff` so a plain poll read by a <script> tag is not run as script.
  io.engine.use((req: IncomingMessage & { _query?: Record<string, string> }, res: { setHeader(name: string, value: string): void }, next: (e?: Error) => void) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req._query?.j !== undefined) return next(new Error('JSONP polling is not served'));
    // a handshake's Origin is `allowRequest`'s (403); the requests of an open session are checked here (400)
    if (req._query?.sid !== undefined && !fromAllowedOrigin(req)) return next(new Error('origin not allowed'));
    next();
  });

  const verify = (token: string) => app.jwt.verify<User>(token);
  io.use(async (socket, next) => {
    try {
      const checked = await d.sessions.checkToken(cookieValue(socket.request.headers.cookie, sessionCookie), verify);
      if (!checked.ok) return next(new Error('unauthorized'));
      socket.data.user = checked.user;
      next();
    } catch (e) {
      log.warn({ err: e }, 'session check failed');
      next(new Error('unauthorized'));
    }
  });

  const frames = new RoomFrames<Channel>(io, {
    windowMs: o.windowMs,
    readers: (c) => roles.filter((r) => mayAccess(r, channelResource.get(c)!)),
    onError: (e) => log.error({ err: e }, 'live flush failed'),
  });

  const read = async (channel: Channel): Promise<unknown> => {
    if (channel === 'alerts') return null; // the alert list is read from GET /api/v1/alerts; only changes are pushed
    if (channel === 'sources') return d.sourceHealth ? d.sourceHealth() : [];
    const stream = streamOfChannel.get(channel);
    return stream ? currentState(d.store, d.places, stream) : null;
  };

  // screens subscribing at about the same time share one read (a reconnect storm after a restart)
  const snapshot = sharedSnapshots(read);

  // disconnecting leaves every room at once: no frame reaches the socket after this
  const endSocket = (socket: Socket, reason: string) => {
    socket.emit('session-ended', { reason });
    socket.disconnect(true);
  };

  const stillValid = async (socket: Socket): Promise<User | undefined> => {
    const checked = await d.sessions.check(socket.data.user as User | undefined);
    if (checked.ok) return checked.user;
    endSocket(socket, checked.reason);
    return undefined;
  };

  // a user changed or deleted, or a session logged out, in this process: their sockets go now
  const offEnded = d.sessions.onEnded((ended) => {
    for (const socket of io.sockets.sockets.values()) {
      const user = socket.data.user as User | undefined;
      if (user && (user.sub === ended.username || user.jti === ended.jti || (ended.wall !== undefined && user.jti.startsWith(`wall:${ended.wall}:`)))) endSocket(socket, ended.reason);
    }
  });

  /** a client's events are untrusted: any value, any number; an ack only when one is a function */
  const ackOf = (args: unknown[]): ((r: unknown) => void) => {
    const last = args[args.length - 1];
    return typeof last === 'function' ? (last as (r: unknown) => void) : () => {};
  };

  // whether the deltas are current (the api's live tail, distributed mode); a lagging tail is told to every socket
  let liveStatus: { live: boolean } = { live: true };

  io.on('connection', (socket) => {
    if (!liveStatus.live) socket.emit('live-status', liveStatus);
    let window = { start: Date.now(), events: 0 };
    socket.use((_packet, next) => {
      const now = Date.now();
      if (now - window.start > 10_000) window = { start: now, events: 0 };
      if (++window.events <= o.eventsPer10s) return next();
      log.warn({ user: (socket.data.user as User | undefined)?.sub, events: window.events }, 'socket sent too many events: disconnected');
      socket.emit('too-many-events', { limitPer10s: o.eventsPer10s });
      socket.disconnect(true);
    });
    socket.on('subscribe', async (...args: unknown[]) => {
      const reply = ackOf(args);
      try {
        const user = await stillValid(socket);
        if (!user) return;
        const c = channelOf(args[0]);
        if (!c) return reply({ ok: false, error: `channel must be one of ${channels.join(', ')}` });
        if (!mayAccess(user.role, channelResource.get(c)!)) return reply({ ok: false, error: `role "${user.role}" may not follow ${c}` });
        frames.join(socket, c, user.role);
        reply({ ok: true, channel: c, snapshot: await snapshot(c) });
      } catch (e) {
        log.error({ err: e }, 'subscribe failed');
        reply({ ok: false, error: 'subscribe failed; retry' });
      }
    });
    socket.on('unsubscribe', (...args: unknown[]) => {
      const c = channelOf(args[0]);
      if (c) frames.leave(socket, c);
      ackOf(args)({ ok: !!c });
    });
  });

  // an expired or revoked session loses its socket within a few seconds, whether or not data flows
  const sweep = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) void stillValid(socket).catch(() => {});
  }, o.sweepMs);
  sweep.unref();
  const add = (channel: Channel, k: string, value: unknown) => frames.add(channel, k, value);

  return {
    io,
    onStored(stream: StreamName, events: AnyEvent[]) {
      const channel = channelOfStream.get(stream);
      if (!channel) return;
      for (const e of events) add(channel, seriesKey(e), { entity: e.entity, observedAt: e.observedAt, receivedAt: e.receivedAt, ...e.payload });
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
    /**
     * Every live socket closed now, before the HTTP server stops: an upgraded WebSocket is no
     * request the server can finish, so its close would wait for them (20 s, then a forced
     * exit), while the screens went on showing "live".
     */
    disconnectAll() {
      io.disconnectSockets(true);
      io.engine.close();
    },
    async close() {
      offEnded();
      frames.close();
      clearInterval(sweep);
      await new Promise<void>((r) => io.close(() => r()));
    },
  };
}
