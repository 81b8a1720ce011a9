import type { Server, Socket } from 'socket.io';
import { roles, type Role } from '../auth/roles.ts';

/** the second argument of every `delta` frame: when the server sent it (ms since the epoch) */
interface FrameMeta {
  flushedAt: number;
}

/** a live channel's room for one role; never a socket id (those have no '/') */
const roomOf = (channel: string, role: Role) => `live/${channel}/${role}`;

/**
 * Live frames built once per channel and sent to rooms, not per socket. A socket that may
 * follow a channel joins the room of that channel and its role; a socket's rooms go with it
 * when it disconnects (a user disabled, changed, deleted or signed out is disconnected at
 * once, see live-channels.ts), and every frame goes only to the rooms of the roles that may
 * read its channel now (`readers`). Deltas are coalesced per series (the newest report of
 * each series; a backfill never hides a newer one) and a channel sends at most one frame per
 * `windowMs`: the first delta after a quiet window goes out at once, the rest wait for the
 * window to end. One `io.to(rooms).emit` per channel and window: socket.io encodes the packet
 * and its WebSocket frame once for all the sockets of those rooms.
 */
export class RoomFrames<C extends string> {
  private readonly pending = new Map<C, Map<string, unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;

  constructor(
    private readonly io: Server,
    private readonly o: { windowMs: number; readers: (channel: C) => readonly Role[]; onError: (e: unknown) => void },
  ) {}

  /** the socket follows `channel` as `role`; the caller has checked the role may */
  join(socket: Socket, channel: C, role: Role): void {
    if (socket.connected) void socket.join(roomOf(channel, role));
  }

  leave(socket: Socket, channel: C): void {
    for (const role of roles) void socket.leave(roomOf(channel, role));
  }

  add(channel: C, key: string, value: unknown): void {
    let m = this.pending.get(channel);
    if (!m) this.pending.set(channel, (m = new Map()));
    // a late report about an earlier time (a backfill) must not hide a newer one in the same
    // frame: keep the one observed last (the as-of order of the store), ties to the later arrival
    const held = m.get(key) as { observedAt?: string } | undefined;
    const next = value as { observedAt?: string };
    if (held?.observedAt && next.observedAt && Date.parse(next.observedAt) < Date.parse(held.observedAt)) return;
    m.delete(key); // re-insert: newest last
    m.set(key, value);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        try {
          this.flush();
        } catch (e) {
          this.o.onError(e);
        }
      },
      Math.max(0, this.lastFlush + this.o.windowMs - Date.now()),
    );
    this.timer.unref();
  }

  /** sends what is pending now, one frame per channel */
  flush(): void {
    if (!this.pending.size) return;
    this.lastFlush = Date.now();
    const meta: FrameMeta = { flushedAt: this.lastFlush };
    for (const [channel, m] of this.pending) {
      const rooms = this.o.readers(channel).map((role) => roomOf(channel, role));
      if (rooms.length) this.io.to(rooms).emit('delta', { [channel]: [...m.values()] }, meta);
    }
    this.pending.clear();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
