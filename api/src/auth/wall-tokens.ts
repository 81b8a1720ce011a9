import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '@haidang/stream';

/**
 * Wall tokens keep a wall screen signed in with nobody at its keyboard. An admin creates one
 * for a view (the operator's or the health centre's wall); the screen trades it for a session
 * (POST /auth/wall) whenever it has none — after the 12-hour session ends, after a server
 * restart with a new session secret — so it never falls back to a login form. Wall sessions are
 * read-only (no acknowledging, no admin) and end within seconds of the token's revocation.
 *
 * A token is `hdw_<tokenId>_<secret>`: the id (8 random bytes, hex) names it in lists and the
 * audit log; the secret is 32 random bytes. Only SHA-256 of the whole token is stored (256
 * random bits cannot be guessed, so a slow hash would buy nothing).
 */
export const wallViews = ['operator', 'health'] as const;
export type WallView = (typeof wallViews)[number];

export interface WallToken {
  tokenId: string;
  label: string;
  view: WallView;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}
interface Row {
  token_id: string;
  label: string;
  view: WallView;
  token_hash: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
  version: number | string;
}
const toToken = (r: Row): WallToken => ({ tokenId: r.token_id, label: r.label, view: r.view, createdAt: r.created_at, createdBy: r.created_by, revokedAt: r.revoked_at, revokedBy: r.revoked_by });

const tokenPattern = /^hdw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const same = (a: string, b: string) => {
  const x = Buffer.from(a, 'hex'), y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
};

/** a wall session's id carries its token's id, so revoking the token ends every session it made */
export const wallJti = (tokenId: string, session: string) => `wall:${tokenId}:${session}`;
export const wallTokenIdOf = (jti: string) => (jti.startsWith('wall:') ? jti.split(':')[1] : undefined);

export class WallTokens {
  private revoked = new Set<string>();
  private refreshedAt = 0;

  constructor(
    private readonly client: ClickHouseClient,
    /** how stale another instance's view of the revocations may be */
    private readonly refreshMs = 5_000,
  ) {}

  /** a new token; the returned `token` is shown once and never stored */
  async create(o: { label: string; view: WallView; createdBy: string }): Promise<{ token: string; record: WallToken }> {
    const tokenId = randomBytes(8).toString('hex');
    const token = `hdw_${tokenId}_${randomBytes(32).toString('base64url')}`;
    const row: Row = { token_id: tokenId, label: o.label, view: o.view, token_hash: hash(token), created_at: chTime(new Date()), created_by: o.createdBy, revoked_at: null, revoked_by: null, version: Date.now() };
    await this.client.insert({ table: 'api_wall_tokens', format: 'JSONEachRow', values: [row] });
    return { token, record: toToken(row) };
  }

  async list(): Promise<WallToken[]> {
    const rs = await this.client.query({ query: 'SELECT * EXCEPT token_hash FROM api_wall_tokens FINAL ORDER BY created_at', format: 'JSONEachRow' });
    return (await rs.json<Row>()).map(toToken);
  }

  private async row(tokenId: string): Promise<Row | undefined> {
    const rs = await this.client.query({ query: 'SELECT * FROM api_wall_tokens FINAL WHERE token_id = {id:String}', query_params: { id: tokenId }, format: 'JSONEachRow' });
    return (await rs.json<Row>())[0];
  }

  /** revokes a token (twice is harmless); undefined when there is no such token */
  async revoke(tokenId: string, by: string): Promise<WallToken | undefined> {
    const r = await this.row(tokenId);
    if (!r) return undefined;
    this.revoked.add(tokenId);
    if (r.revoked_at) return toToken(r);
    const revoked: Row = { ...r, revoked_at: chTime(new Date()), revoked_by: by, version: Math.max(Date.now(), Number(r.version) + 1) };
    await this.client.insert({ table: 'api_wall_tokens', format: 'JSONEachRow', values: [revoked] });
    return toToken(revoked);
  }

  /** the token's record when it is well-formed, known and not revoked */
  async verify(token: string): Promise<WallToken | undefined> {
    const id = tokenPattern.exec(token)?.[1];
    if (!id) return undefined;
    const r = await this.row(id);
    if (!r || r.revoked_at || !same(r.token_hash, hash(token))) return undefined;
    return toToken(r);
  }

  /** true when the token was revoked (read from the store at most every `refreshMs`) */
  async isRevoked(tokenId: string): Promise<boolean> {
    if (this.revoked.has(tokenId)) return true;
    if (Date.now() - this.refreshedAt > this.refreshMs) await this.refreshRevoked();
    return this.revoked.has(tokenId);
  }

  /** one read for every check that finds the list stale (5,000 wall screens are checked together) */
  private refreshing: Promise<void> | undefined;
  private refreshRevoked(): Promise<void> {
    this.refreshing ??= (async () => {
      const rs = await this.client.query({ query: 'SELECT token_id FROM api_wall_tokens FINAL WHERE revoked_at IS NOT NULL', format: 'JSONEachRow' });
      const read = (await rs.json<{ token_id: string }>()).map((r) => r.token_id);
      this.revoked = new Set(read);
      this.refreshedAt = Date.now();
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }
}
