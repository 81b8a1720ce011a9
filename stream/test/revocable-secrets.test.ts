import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocableSecrets, type SecretRow } from '../src/secrets/revocable-secrets.ts';
import { queryRows, tempStore } from './fixtures/temp-store.ts';
import type { Store } from '../src/store/client.ts';

/** the one secret store behind the sources' API keys (ingest) and the wall tokens (api) */
interface Row extends SecretRow {
  secret_id: string;
  label: string;
  secret_hash: string;
}
let store: Store;
const table = { table: 'test_secrets', idColumn: 'secret_id', hashColumn: 'secret_hash', prefix: 'hdt', orderBy: 'created_at' };

beforeAll(async () => {
  store = await tempStore();
  await store.client.command({
    query: `CREATE TABLE test_secrets (secret_id String, label String, secret_hash String, created_at DateTime64(3, 'UTC'), created_by String,
      revoked_at Nullable(DateTime64(3, 'UTC')), revoked_by Nullable(String), version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY secret_id`,
  });
});
afterAll(async () => store?.close());

describe('RevocableSecrets', () => {
  it('gives the secret once, stores only its SHA-256, verifies it until it is revoked', async () => {
    const secrets = new RevocableSecrets<Row>(store.client, table);
    const { id, secret, row } = await secrets.create({ label: 'screen 1' }, 'admin');
    expect(secret).toMatch(new RegExp(`^hdt_${id}_[A-Za-z0-9_-]{43}$`));
    expect(row).toMatchObject({ secret_id: id, label: 'screen 1', created_by: 'admin', revoked_at: null });
    const stored = await queryRows<Record<string, string>>(store, 'SELECT * FROM test_secrets');
    expect(JSON.stringify(stored)).not.toContain(secret.slice(-43));
    expect(await secrets.verify(secret)).toMatchObject({ secret_id: id, label: 'screen 1' });
    expect((await secrets.list()).map((r) => Object.keys(r))).not.toContainEqual(expect.arrayContaining(['secret_hash']));

    // a forged secret with a known id, a malformed one, another prefix's: not verified
    expect(await secrets.verify(`hdt_${id}_${'A'.repeat(43)}`)).toBeUndefined();
    expect(await secrets.verify('not-a-secret')).toBeUndefined();
    expect(await secrets.verify(secret.replace(/^hdt_/, 'hd_'))).toBeUndefined();

    expect(await secrets.isRevoked(id)).toBe(false);
    expect(await secrets.revoke(id, 'admin-2')).toMatchObject({ revoked_by: 'admin-2' });
    expect(await secrets.verify(secret)).toBeUndefined();
    expect(await secrets.isRevoked(id)).toBe(true);
    expect(await secrets.revoke('0000000000000000', 'admin')).toBeUndefined();
  });

  it('an instance that remembers verified secrets still honours a revocation by another at once when it made it, and after its ceiling otherwise', async () => {
    const here = new RevocableSecrets<Row>(store.client, { ...table, verifiedForMs: 60_000 });
    const there = new RevocableSecrets<Row>(store.client, table);
    const { id, secret } = await here.create({ label: 'source' }, 'admin');
    expect(await here.verify(secret)).toBeDefined();
    await there.revoke(id, 'admin');
    // revoked by another instance: believed for the remembered while (bounded by verifiedForMs) …
    expect(await here.verify(secret)).toBeDefined();
    // … by this one: at once
    await here.revoke(id, 'admin');
    expect(await here.verify(secret)).toBeUndefined();
    // a fresh instance (no memory) asks the store
    expect(await new RevocableSecrets<Row>(store.client, table).verify(secret)).toBeUndefined();
  });
});
