import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chTime } from '@haidang/stream';
import type { AuthConfig } from '../config.ts';
import { problem } from '../http/problem.ts';
import { mayAccess, type Resource, type Role } from './roles.ts';

export const sessionCookie = 'haidang_session';

export interface SessionClaims {
  sub: string;
  role: Role;
  jti: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: SessionClaims;
    user: SessionClaims & { exp: number };
  }
}

/**
 * Sessions are JWTs (signed by @fastify/jwt, HS256) in an httpOnly, SameSite=Strict cookie,
 * so page scripts cannot read them and other sites cannot send them. Logout revokes the
 * token's id: revoked ids are kept in `api_revoked_sessions` (until they would have expired
 * anyway) and in memory, refreshed from the store so other api instances see a logout too.
 */
export class Sessions {
  private revoked = new Set<string>();
  private refreshedAt = 0;
  /** how stale another instance's view of the revocations may be */
  private readonly refreshMs = 5_000;

  constructor(
    private readonly client: ClickHouseClient,
    readonly config: AuthConfig,
  ) {}

  newClaims(username: string, role: Role): SessionClaims {
    return { sub: username, role, jti: randomUUID() };
  }

  get maxAgeSeconds(): number {
    return this.config.sessionHours * 3600;
  }

  cookieOptions(request: FastifyRequest) {
    const secure = this.config.cookieSecure === 'auto' ? request.protocol === 'https' : this.config.cookieSecure;
    return { httpOnly: true, sameSite: 'strict' as const, secure, path: '/', maxAge: this.maxAgeSeconds };
  }

  async revoke(claims: SessionClaims & { exp: number }): Promise<void> {
    this.revoked.add(claims.jti);
    await this.client.insert({ table: 'api_revoked_sessions', format: 'JSONEachRow', values: [{ jti: claims.jti, username: claims.sub, expires_at: chTime(new Date(claims.exp * 1000)).slice(0, 19) }] });
  }

  /** set by the wall tokens (wall-tokens.ts): a wall session ends when its token is revoked */
  wallRevoked: ((tokenId: string) => Promise<boolean>) | undefined;

  async isRevoked(jti: string): Promise<boolean> {
    if (this.revoked.has(jti)) return true;
    const wall = jti.startsWith('wall:') ? jti.split(':')[1] : undefined;
    if (wall && this.wallRevoked && (await this.wallRevoked(wall))) return true;
    if (Date.now() - this.refreshedAt > this.refreshMs) {
      const rs = await this.client.query({ query: 'SELECT jti FROM api_revoked_sessions FINAL WHERE expires_at > now()', format: 'JSONEachRow' });
      this.revoked = new Set((await rs.json<{ jti: string }>()).map((r) => r.jti));
      this.refreshedAt = Date.now();
    }
    return this.revoked.has(jti);
  }

  /** the signed-in user of a request, or undefined (no, bad, expired or revoked token) */
  async userOf(request: FastifyRequest): Promise<(SessionClaims & { exp: number }) | undefined> {
    try {
      const claims = await request.jwtVerify<SessionClaims & { exp: number }>();
      return (await this.isRevoked(claims.jti)) ? undefined : claims;
    } catch {
      return undefined;
    }
  }

  /** preHandler: 401 without a valid session, 403 when the role may not use the resource */
  require(resource: Resource) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const user = await this.userOf(request);
      if (!user) return problem(reply, 401, 'Sign in first', 'this route needs a valid session (POST /api/v1/auth/login)');
      request.user = user;
      // a wall screen's session only reads
      if (user.jti.startsWith('wall:') && request.method !== 'GET') return problem(reply, 403, 'A wall screen only reads', 'wall sessions are read-only');
      if (!mayAccess(user.role, resource)) return problem(reply, 403, 'Not allowed for this role', `role "${user.role}" may not use ${resource}`);
    };
  }
}
