import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '../store/rows.ts';
import { RevocationList } from './revocation-list.ts';

/** the columns of every secret's table beside its id, its hash and its own fields */
export interface SecretRow {
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
  version: number | string;
}

export interface SecretTable {
  /** e.g. `ingest_source_keys` (a ReplacingMergeTree on `version`, read with FINAL) */
  table: string;
  /** the columns holding the id and the SHA-256 of the whole secret */
  idColumn: string;
  hashColumn: string;
  /** `hd` gives secrets `hd_<id>_<secret>` */
  prefix: string;
  /** the order of `list()` */
  orderBy: string;
  /** how long a verified secret is believed without asking the store (0: always asked) */
  verifiedForMs?: number;
  /** how stale this process's list of revocations may be (revocations made by other instances) */
  revocationsForMs?: number;
}

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const sameHash = (a: string, b: string) => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Secrets that stand for someone until revoked: the data sources' API keys (ingest) and the
 * wall screens' tokens (api). A secret is `<prefix>_<id>_<secret>`: the id (8 random bytes,
 * hex) names it in lists, logs and the audit log; the secret is 32 random bytes (256 bits,
 * base64url). Only SHA-256 of the whole string is stored: a slow hash (scrypt, as for
 * passwords) makes guessing low-entropy secrets expensive after a leak of the table, and 256
 * random bits cannot be guessed however fast the hash, so a fast one loses nothing and keeps
 * checking a secret on every request cheap. The secret is returned once, at creation. A
 * revocation is a new version of the row; one made by this process applies at once, one made
 * by another instance within `verifiedForMs` / `revocationsForMs`.
 */
export class RevocableSecrets<Row extends SecretRow> {
  private readonly pattern: RegExp;
  private readonly verified = new Map<string, { row: Row; at: number }>();
  private readonly revoked: RevocationList;
  /** counts this process's revocations: a verification under way while one is made is not cached */
  private revocations = 0;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly t: SecretTable,
  ) {
    this.pattern = new RegExp(`^${t.prefix}_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$`);
    this.revoked = new RevocationList(async () => {
      const rs = await this.client.query({ query: `SELECT ${this.t.idColumn} AS id FROM ${this.t.table} FINAL WHERE revoked_at IS NOT NULL`, format: 'JSONEachRow' });
      return (await rs.json<{ id: string }>()).map((r) => r.id);
    }, t.revocationsForMs ?? 0);
  }

  /** the id of a well-formed secret, or undefined */
  idOf(secret: string): string | undefined {
    return this.pattern.exec(secret)?.[1];
  }

  /** a new secret with the row's own `fields` (not its id or hash); the returned `secret` is shown once and never stored */
  async create(fields: Omit<Partial<Row>, keyof SecretRow>, createdBy: string): Promise<{ id: string; secret: string; row: Row }> {
    const id = randomBytes(8).toString('hex');
    const secret = `${this.t.prefix}_${id}_${randomBytes(32).toString('base64url')}`;
    const row = { [this.t.idColumn]: id, ...fields, [this.t.hashColumn]: sha256(secret), created_at: chTime(new Date()), created_by: createdBy, revoked_at: null, revoked_by: null, version: Date.now() } as unknown as Row;
    await this.client.insert({ table: this.t.table, format: 'JSONEachRow', values: [row] });
    return { id, secret, row };
  }

  /** every row, without its hash */
  async list(): Promise<Row[]> {
    const rs = await this.client.query({ query: `SELECT * EXCEPT ${this.t.hashColumn} FROM ${this.t.table} FINAL ORDER BY ${this.t.orderBy}`, format: 'JSONEachRow' });
    return rs.json<Row>();
  }

  private async row(id: string): Promise<Row | undefined> {
    const rs = await this.client.query({ query: `SELECT * FROM ${this.t.table} FINAL WHERE ${this.t.idColumn} = {id:String}`, query_params: { id }, format: 'JSONEachRow' });
    return (await rs.json<Row>())[0];
  }

  /** revokes the secret `id` (twice is harmless); undefined when there is no such secret */
  async revoke(id: string, by: string): Promise<Row | undefined> {
    const r = await this.row(id);
    if (!r) return undefined;
    this.revocations++;
    this.verified.delete(id);
    if (r.revoked_at) {
      await this.revoked.revoke(id, async () => {});
      return r;
    }
    const revoked = { ...r, revoked_at: chTime(new Date()), revoked_by: by, version: Math.max(Date.now(), Number(r.version) + 1) };
    await this.revoked.revoke(id, () => this.client.insert({ table: this.t.table, format: 'JSONEachRow', values: [revoked] }));
    return revoked;
  }

  /** the row of a well-formed, known, unrevoked secret; undefined otherwise */
  async verify(secret: string): Promise<Row | undefined> {
    const id = this.idOf(secret);
    if (!id) return undefined;
    const hash = sha256(secret);
    const hit = this.verified.get(id);
    if (hit && Date.now() - hit.at < (this.t.verifiedForMs ?? 0)) return sameHash(this.hashOf(hit.row), hash) ? hit.row : undefined;
    const revocationsBefore = this.revocations;
    const r = await this.row(id);
    if (!r || r.revoked_at || !sameHash(this.hashOf(r), hash) || this.revoked.has(id)) return undefined;
    // a revocation made while this read was under way may be newer than the row it read
    if (this.t.verifiedForMs && revocationsBefore === this.revocations) this.verified.set(id, { row: r, at: Date.now() });
    return r;
  }

  /** true when the secret `id` was revoked (the store's list read at most every `revocationsForMs`) */
  async isRevoked(id: string): Promise<boolean> {
    return this.revoked.isRevoked(id);
  }

  private hashOf(row: Row): string {
    return String((row as unknown as Record<string, unknown>)[this.t.hashColumn]);
  }
}
