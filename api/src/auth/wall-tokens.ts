import type { ClickHouseClient } from '@clickhouse/client';
import { RevocableSecrets, type SecretRow } from '@haidang/stream';

/**
 * Wall tokens keep a wall screen signed in with nobody at its keyboard. An admin creates one
 * for a view (the operator's or the health centre's wall); the screen trades it for a session
 * (POST /auth/wall) whenever it has none — after the 12-hour session ends, after a server
 * restart with a new session secret — so it never falls back to a login form. Wall sessions are
 * read-only (no acknowledging, no admin) and end within seconds of the token's revocation.
 *
 * A token is `hdw_<tokenId>_<secret>`, one of stream's RevocableSecrets (as the sources' API
 * keys): only SHA-256 of it is stored, the id names it in lists and the audit log.
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
interface Row extends SecretRow {
  token_id: string;
  label: string;
  view: WallView;
  token_hash: string;
}
const toToken = (r: Row): WallToken => ({ tokenId: r.token_id, label: r.label, view: r.view, createdAt: r.created_at, createdBy: r.created_by, revokedAt: r.revoked_at, revokedBy: r.revoked_by });

/** a wall session's id carries its token's id, so revoking the token ends every session it made */
export const wallJti = (tokenId: string, session: string) => `wall:${tokenId}:${session}`;

export class WallTokens {
  private readonly secrets: RevocableSecrets<Row>;

  constructor(
    client: ClickHouseClient,
    /** how stale another instance's view of the revocations may be */
    refreshMs = 5_000,
  ) {
    this.secrets = new RevocableSecrets<Row>(client, { table: 'api_wall_tokens', idColumn: 'token_id', hashColumn: 'token_hash', prefix: 'hdw', orderBy: 'created_at', revocationsForMs: refreshMs });
  }

  /** a new token; the returned `token` is shown once and never stored */
  async create(o: { label: string; view: WallView; createdBy: string }): Promise<{ token: string; record: WallToken }> {
    const { secret, row } = await this.secrets.create({ label: o.label, view: o.view }, o.createdBy);
    return { token: secret, record: toToken(row) };
  }

  async list(): Promise<WallToken[]> {
    return (await this.secrets.list()).map(toToken);
  }

  /** revokes a token (twice is harmless); undefined when there is no such token */
  async revoke(tokenId: string, by: string): Promise<WallToken | undefined> {
    const r = await this.secrets.revoke(tokenId, by);
    return r && toToken(r);
  }

  /** the token's record when it is well-formed, known and not revoked */
  async verify(token: string): Promise<WallToken | undefined> {
    const r = await this.secrets.verify(token);
    return r && toToken(r);
  }

  /** true when the token was revoked (read from the store at most every `refreshMs`) */
  isRevoked(tokenId: string): Promise<boolean> {
    return this.secrets.isRevoked(tokenId);
  }
}
