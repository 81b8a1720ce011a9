import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chTime, RevocationList } from '@haidang/stream';
import type { AuthConfig } from '../config.ts';
import { problem } from '../http/problem.ts';
import { mayAccess, type Resource, type Role } from './roles.ts';
import type { UserStore } from './users.ts';

export const sessionCookie = 'haidang_session';

export interface SessionClaims {
  sub: string;
  role: Role;
  jti: string;
  /** the user's record version when the session began: any later change to the user ends it */
  uv: string;
}
export type SessionUser = SessionClaims & { exp: number };

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: SessionClaims;
    user: SessionUser;
  }
}

/** why a session no longer counts */
export type SessionEnd = 'expired' | 'revoked' | 'user-changed' | 'user-gone' | 'user-disabled';
export type SessionCheck = { ok: true; user: SessionUser } | { ok: false; reason: SessionEnd };
/** sessions that just ended: all of a user's (`username`), one (`jti`) or every wall screen's of a wall token (`wall`) */
export interface SessionsEnded {
  username?: string;
  jti?: string;
  wall?: string;
  reason: SessionEnd;
}

/** marks the preHandler `require` returns, so the OpenAPI document can tell protected routes */
export const requiresSession = Symbol('requiresSession');

/**
 * Sessions are JWTs (signed by @fastify/jwt, HS256) in an httpOnly, SameSite=Strict cookie,
 * so page scripts cannot read them and other sites cannot send them.
 *
 * A token proves who signed in and when; what they may do is judged against the user as
 * stored now: `check` (the one function every HTTP route and socket goes through) refuses a
 * session whose user was deleted, disabled or changed in any way (role, password) since it
 * began (`uv`, the user's record version, no longer matches), or whose id was logged out.
 * Revoked ids live in `api_revoked_sessions` (until they would have expired anyway) and in
 * memory; users are read through UserStore's short cache. A change made by this process ends
 * the sessions at once and tells the listeners (`onEnded`: the live channels disconnect the
 * user's sockets); another api instance sees it within `refreshMs`.
 */
export class Sessions {
  /** logged-out session ids; another instance's logout is seen within 5 s */
  private readonly revoked: RevocationList;
  private readonly events = new EventEmitter();

  constructor(
    private readonly client: ClickHouseClient,
    readonly config: AuthConfig,
    private readonly users: UserStore,
  ) {
    this.events.setMaxListeners(0);
    this.revoked = new RevocationList(async () => {
      const rs = await this.client.query({ query: 'SELECT jti FROM api_revoked_sessions FINAL WHERE expires_at > now()', format: 'JSONEachRow' });
      return (await rs.json<{ jti: string }>()).map((r) => r.jti);
    }, 5_000);
  }

  newClaims(user: { username: string; role: Role; version: string }): SessionClaims {
    return { sub: user.username, role: user.role, jti: randomUUID(), uv: user.version };
  }

  get maxAgeSeconds(): number {
    return this.config.sessionHours * 3600;
  }

  cookieOptions(request: FastifyRequest) {
    const secure = this.config.cookieSecure === 'auto' ? request.protocol === 'https' : this.config.cookieSecure;
    return { httpOnly: true, sameSite: 'strict' as const, secure, path: '/', maxAge: this.maxAgeSeconds };
  }

  /** logout: this one session ends everywhere */
  async revoke(claims: SessionUser): Promise<void> {
    const written = this.revoked.revoke(claims.jti, () => this.client.insert({ table: 'api_revoked_sessions', format: 'JSONEachRow', values: [{ jti: claims.jti, username: claims.sub, expires_at: chTime(new Date(claims.exp * 1000)).slice(0, 19) }] }));
    this.events.emit('ended', { jti: claims.jti, reason: 'revoked' } satisfies SessionsEnded);
    await written;
  }

  /** the user was changed or deleted: every session of theirs ends now (call after the change is stored) */
  userChanged(username: string, reason: SessionEnd = 'user-changed'): void {
    this.users.forget(username);
    this.events.emit('ended', { username, reason } satisfies SessionsEnded);
  }

  /** a wall token was revoked (call after the revocation is stored): its walls' sessions end now */
  wallTokenRevoked(tokenId: string): void {
    this.events.emit('ended', { wall: tokenId, reason: 'revoked' } satisfies SessionsEnded);
  }

  /** listens for sessions ending in this process; returns the way to stop listening */
  onEnded(listener: (e: SessionsEnded) => void): () => void {
    this.events.on('ended', listener);
    return () => this.events.off('ended', listener);
  }

  /** set by the wall tokens (wall-tokens.ts): a wall session ends when its token is revoked */
  wallRevoked: ((tokenId: string) => Promise<boolean>) | undefined;

  async isRevoked(jti: string): Promise<boolean> {
    if (this.revoked.has(jti)) return true;
    const wall = jti.startsWith('wall:') ? jti.split(':')[1] : undefined;
    if (wall && this.wallRevoked && (await this.wallRevoked(wall))) return true;
    return this.revoked.isRevoked(jti);
  }

  /**
   * The one judgement of a session, for HTTP routes and sockets alike: verified claims →
   * still valid now, against the stored user. Kiosk (wall) tokens hook in here.
   */
  async check(claims: SessionUser | undefined): Promise<SessionCheck> {
    if (!claims || typeof claims.sub !== 'string' || typeof claims.jti !== 'string' || typeof claims.exp !== 'number') return { ok: false, reason: 'revoked' };
    if (claims.exp * 1000 <= Date.now()) return { ok: false, reason: 'expired' };
    if (await this.isRevoked(claims.jti)) return { ok: false, reason: 'revoked' };
    // a wall screen's session stands for its wall token (no user): valid while the token is not revoked
    if (claims.jti.startsWith('wall:')) return this.wallRevoked ? { ok: true, user: claims } : { ok: false, reason: 'revoked' };
    // at least the version the session began with: one begun after a change this instance has not seen yet is not refused
    const user = await this.users.current(claims.sub, claims.uv);
    if (!user) return { ok: false, reason: 'user-gone' };
    if (user.disabled) return { ok: false, reason: 'user-disabled' };
    if (user.version !== claims.uv || user.role !== claims.role) return { ok: false, reason: 'user-changed' };
    return { ok: true, user: claims };
  }

  /** verifies a token (a socket's cookie) and judges the session */
  async checkToken(token: string | undefined, verify: (t: string) => SessionUser): Promise<SessionCheck> {
    if (!token) return { ok: false, reason: 'revoked' };
    let claims: SessionUser;
    try {
      claims = verify(token);
    } catch {
      return { ok: false, reason: 'revoked' };
    }
    return this.check(claims);
  }

  /** the signed-in user of a request, or undefined (no, bad, expired or revoked token, or a changed user) */
  async userOf(request: FastifyRequest): Promise<SessionUser | undefined> {
    let claims: SessionUser;
    try {
      claims = await request.jwtVerify<SessionUser>();
    } catch {
      return undefined;
    }
    const c = await this.check(claims);
    return c.ok ? c.user : undefined;
  }

  /** preHandler: 401 without a valid session, 403 when the role may not use the resource */
  require(resource: Resource) {
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const user = await this.userOf(request);
      if (!user) return problem(reply, 401, 'Sign in first', 'this route needs a valid session (POST /api/v1/auth/login); a session ends when its user is changed');
      request.user = user;
      // a wall screen's session only reads
      if (user.jti.startsWith('wall:') && request.method !== 'GET') return problem(reply, 403, 'A wall screen only reads', 'wall sessions are read-only');
      if (!mayAccess(user.role, resource)) return problem(reply, 403, 'Not allowed for this role', `role "${user.role}" may not use ${resource}`);
    };
    return Object.assign(handler, { [requiresSession]: resource });
  }
}

