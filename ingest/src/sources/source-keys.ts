import type { ClickHouseClient } from '@clickhouse/client';
import { RevocableSecrets, type DataStreamName, type SecretRow } from '@haidang/stream';
import { IngestError } from '../push/ingest-error.ts';

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

interface KeyRow extends SecretRow {
  key_id: string;
  source: string;
  label: string;
  streams: string[];
  entities: string[];
  key_hash: string;
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
 * The API keys of the data sources, in `ingest_source_keys`: `hd_<keyId>_<secret>`, one of
 * stream's RevocableSecrets (as the wall tokens), so only SHA-256 of a key is stored. A
 * verified key is remembered for a few seconds so a burst of pushes does not query the store
 * each time; a revocation made by this process applies at once, one made by another api
 * instance within `cacheMs`.
 */
export class SourceKeys {
  private readonly secrets: RevocableSecrets<KeyRow>;

  constructor(client: ClickHouseClient, cacheMs = 5_000) {
    this.secrets = new RevocableSecrets<KeyRow>(client, { table: 'ingest_source_keys', idColumn: 'key_id', hashColumn: 'key_hash', prefix: 'hd', orderBy: 'source, created_at', verifiedForMs: cacheMs });
  }

  /** creates a key; the returned `key` is shown once and never stored */
  async create(o: { source: string; label: string; streams: DataStreamName[]; entities: string[]; createdBy: string }): Promise<{ key: string; record: SourceKey }> {
    const { secret, row } = await this.secrets.create({ source: o.source, label: o.label, streams: o.streams, entities: o.entities }, o.createdBy);
    return { key: secret, record: toKey(row) };
  }

  async list(): Promise<SourceKey[]> {
    return (await this.secrets.list()).map(toKey);
  }

  /** revokes a key; undefined when there is no such key (revoking twice is harmless) */
  async revoke(keyId: string, by: string): Promise<SourceKey | undefined> {
    const r = await this.secrets.revoke(keyId, by);
    return r && toKey(r);
  }

  /** the key's grants, or an IngestError (401) for a missing, malformed, unknown or revoked key */
  async verify(key: string | undefined): Promise<SourceKey> {
    if (!key) throw new IngestError('HD_INGEST_NO_KEY', 'send the API key as "Authorization: Bearer <key>" or "X-Api-Key: <key>"');
    const keyId = this.secrets.idOf(key);
    if (!keyId) throw new IngestError('HD_INGEST_BAD_KEY', 'the API key is not one Hải Đăng issued');
    const r = await this.secrets.verify(key);
    if (!r) throw new IngestError('HD_INGEST_BAD_KEY', 'the API key is unknown or revoked', { keyId });
    return toKey(r);
  }
}
