import type { IncomingMessage } from 'node:http';
import type { ClickHouseClient } from '@clickhouse/client';
import { Server, type Socket } from 'socket.io';
import { allDescriptors, descriptors, type AnyEvent, type DataStreamName, type Logger, type StreamName } from '@haidang/stream';
import { mayAccess, type Resource } from '../auth/roles.ts';
import { sessionCookie, type SessionUser, type Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import type { Places } from '../places.ts';
import { currentState } from '../state/current-state.ts';

export interface LiveOptions {
  /** most frames one client receives per second; deltas in between are coalesced */
  framesPerSecond: number;
  /** largest message a client may send: subscriptions are tiny */
  maxHttpBufferSize: number;
  /** most events one socket may send in 10 s; a socket sending more is disconnected */
  eventsPer10s: number;
}
const defaults: LiveOptions = { framesPerSecond: 2, maxHttpBufferSize: 8 * 1024, eventsPer10s: 50 };

/** a data stream's channel (its descriptor's `channel`), or the alert episodes, or source health */
export type Channel = string;
const streamOfChannel = new Map<string, DataStreamName>(descriptors.map((d) => [d.channel, d.name]));
const channelOfStream = new Map<DataStreamName, string>(descriptors.map((d) => [d.name, d.channel]));
const channelResource = new Map<Channel, Resource>([...descriptors.map((d) => [d.channel, d.name] as const), ['alerts', 'alerts'], ['sources', 'sourceHealth']]);
export const channels: readonly Channel[] = [...channelResource.keys()];

type User = SessionUser;

/** the cookie's value, or undefined for a missing, repeated or malformed header */
export function cookieValue(header: unknown, name: string): string | undefined {
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
export function originAllowed(origin: unknown, host: unknown, allowlist: readonly string[]): boolean {
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

/**
 * One key per series of a stream, so a newer delta replaces an older one of the same series:
 * a gauge's entity and dimensions (the newest report is the state); a counter's reports all
 * count, so each keeps its own key (the event id).
 */
function seriesKey(e: AnyEvent): string {
  const d = descriptors.find((x) => x.name === e.stream);
  const dims = (dimensionReaders.get(e.stream) ?? []).map((read) => String(read(e.payload as never) ?? ''));
  return [e.entity, ...dims, ...(d?.kind === 'counter' ? [e.id] : [])].join('/');
}

/**
 * socket.io on the api's own HTTP server. A WebSocket upgrade is not subject to CORS, so
 * `allowRequest` checks Origin against the same allowlist (cross-site WebSocket hijacking),
 * validating the header before parsing it; `io.use` admits a socket only with a valid session
 * (`Sessions.check`, the same judgement as every HTTP route); every `subscribe` re-checks the
 * session and the role for that channel, and treats its arguments as untrusted (any type, any
 * number; more than `eventsPer10s` events disconnect the socket). A client gets a snapshot,
 * then deltas from `processor.onStored`, coalesced per series and sent at most
 * `framesPerSecond` times a second in one frame for all its channels. When a user is changed
 * or deleted, or a session logs out, in this process, its sockets are disconnected at once
 * (`Sessions.onEnded`); a sweep every 5 s catches expiry and changes made on other instances.
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
      // no Origin: not a browser, so no ambient cookie to hijack; the session check still applies
      let ok = false;
      try {
        ok = originAllowed(req.headers.origin, req.headers.host, d.corsOrigins);
      } catch (e) {
        log.warn({ err: e }, 'origin check failed');
      }
      cb(ok ? null : 'origin not allowed', ok);
    },
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

  const pending = new Map<Channel, Map<string, unknown>>();
  const subscriptions = new Map<string, Set<Channel>>();

  const snapshot = async (channel: Channel): Promise<unknown> => {
    if (channel === 'alerts') return null; // the alert list is read from GET /api/v1/alerts; only changes are pushed
    if (channel === 'sources') return d.sourceHealth ? d.sourceHealth() : [];
    const stream = streamOfChannel.get(channel);
    return stream ? currentState(d.store, d.places, stream) : null;
  };

  const endSocket = (socket: Socket, reason: string) => {
    subscriptions.delete(socket.id);
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
      if (user && (user.sub === ended.username || user.jti === ended.jti)) endSocket(socket, ended.reason);
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
    subscriptions.set(socket.id, new Set());
    socket.on('disconnect', () => subscriptions.delete(socket.id));
    socket.on('subscribe', async (...args: unknown[]) => {
      const reply = ackOf(args);
      try {
        const user = await stillValid(socket);
        if (!user) return;
        const c = channelOf(args[0]);
        if (!c) return reply({ ok: false, error: `channel must be one of ${channels.join(', ')}` });
        if (!mayAccess(user.role, channelResource.get(c)!)) return reply({ ok: false, error: `role "${user.role}" may not follow ${c}` });
        subscriptions.get(socket.id)?.add(c);
        reply({ ok: true, channel: c, snapshot: await snapshot(c) });
      } catch (e) {
        log.error({ err: e }, 'subscribe failed');
        reply({ ok: false, error: 'subscribe failed; retry' });
      }
    });
    socket.on('unsubscribe', (...args: unknown[]) => {
      const c = channelOf(args[0]);
      if (c) subscriptions.get(socket.id)?.delete(c);
      ackOf(args)({ ok: !!c });
    });
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
    async close() {
      offEnded();
      clearInterval(timer);
      clearInterval(sweep);
      await new Promise<void>((r) => io.close(() => r()));
    },
  };
}
