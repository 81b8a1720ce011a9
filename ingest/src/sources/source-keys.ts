import type { ClickHouseClient } from '@clickhouse/client';
import { chTime, type DataStreamName } from '@haidang/stream';
import { IngestError } from '../push/ingest-error.ts';
import { hashKey, keyIdOf, newApiKey, sameHash } from './api-key.ts';

/** What a key may do: report for one source, only these streams and these entities. */
export interface SourceKey {
  keyId: string;
  source: string;
  label: string;
  streams: DataStreamName[];
  entities: string[];
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

interface KeyRow {
  key_id: string;
  source: string;
  label: string;
  streams: string[];
  entities: string[];
  key_hash: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
  version: string | number;
}

const toKey = (r: KeyRow): SourceKey => ({
  keyId: r.key_id,
  source: r.source,
  label: r.label,
  streams: r.streams as DataStreamName[],
  entities: r.entities,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
});

/**
 * The API keys of the data sources, in `ingest_source_keys`. A verified key is remembered
 * for a few seconds so a burst of pushes does not query the store each time; a revocation
 * made by this process applies at once, one made by another api instance within `cacheMs`.
 */
export class SourceKeys {
  private readonly cache = new Map<string, { key: SourceKey; hash: string; at: number }>();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly cacheMs = 5_000,
  ) {}

  /** creates a key; the returned `key` is shown once and never stored */
  async create(o: { source: string; label: string; streams: DataStreamName[]; entities: string[]; createdBy: string }): Promise<{ key: string; record: SourceKey }> {
    const k = newApiKey();
    const now = chTime(new Date());
    const row = { key_id: k.keyId, source: o.source, label: o.label, streams: o.streams, entities: o.entities, key_hash: k.hash, created_at: now, created_by: o.createdBy, revoked_at: null, revoked_by: null, version: Date.now() };
    await this.client.insert({ table: 'ingest_source_keys', format: 'JSONEachRow', values: [row] });
    return { key: k.key, record: toKey({ ...row, created_at: now }) };
  }

  async list(): Promise<SourceKey[]> {
    const rs = await this.client.query({ query: 'SELECT * EXCEPT key_hash FROM ingest_source_keys FINAL ORDER BY source, created_at', format: 'JSONEachRow' });
    return (await rs.json<KeyRow>()).map(toKey);
  }

  private async row(keyId: string): Promise<KeyRow | undefined> {
    const rs = await this.client.query({ query: 'SELECT * FROM ingest_source_keys FINAL WHERE key_id = {id:String}', query_params: { id: keyId }, format: 'JSONEachRow' });
    return (await rs.json<KeyRow>())[0];
  }

  /** revokes a key; false when there is no such key (revoking twice is harmless) */
  async revoke(keyId: string, by: string): Promise<SourceKey | undefined> {
    const r = await this.row(keyId);
    if (!r) return undefined;
    this.cache.delete(keyId);
    if (r.revoked_at) return toKey(r);
    const revoked = { ...r, revoked_at: chTime(new Date()), revoked_by: by, version: Math.max(Date.now(), Number(r.version) + 1) };
    await this.client.insert({ table: 'ingest_source_keys', format: 'JSONEachRow', values: [revoked] });
    return toKey(revoked);
  }

  /** the key's grants, or an IngestError (401) for a missing, malformed, unknown or revoked key */
  async verify(key: string | undefined): Promise<SourceKey> {
    if (!key) throw new IngestError('HD_INGEST_NO_KEY', 'send the API key as "Authorization: Bearer <key>" or "X-Api-Key: <key>"');
    const keyId = keyIdOf(key);
    if (!keyId) throw new IngestError('HD_INGEST_BAD_KEY', 'the API key is not one Hải Đăng issued');
    const hash = hashKey(key);
    const hit = this.cache.get(keyId);
    if (hit && Date.now() - hit.at < this.cacheMs) {
      if (!sameHash(hit.hash, hash)) throw new IngestError('HD_INGEST_BAD_KEY', 'the API key is unknown or revoked');
      return hit.key;
    }
    const r = await this.row(keyId);
    if (!r || r.revoked_at || !sameHash(r.key_hash, hash)) throw new IngestError('HD_INGEST_BAD_KEY', 'the API key is unknown or revoked', { keyId });
    const k = toKey(r);
    this.cache.set(keyId, { key: k, hash: r.key_hash, at: Date.now() });
    return k;
  }
}
