import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { WallTokens } from '../src/auth/wall-tokens.ts';

/** a store that answers the revocation list after a tick and counts the reads */
function countingStore(revoked: string[]) {
  let reads = 0;
  const client = {
    query: async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      return { json: async () => revoked.map((id) => ({ id, token_id: id })) };
    },
  } as unknown as ClickHouseClient;
  return { client, reads: () => reads };
}

describe('revocation lists under 5,000 screens', () => {
  it('reads a stale wall-token revocation list once for all the checks waiting on it, and answers each check from it', async () => {
    const store = countingStore(['aaaaaaaaaaaaaaaa']);
    const tokens = new WallTokens(store.client, 60_000);
    const checks = await Promise.all(Array.from({ length: 5_000 }, (_, i) => tokens.isRevoked(i % 2 ? 'aaaaaaaaaaaaaaaa' : 'bbbbbbbbbbbbbbbb')));
    expect(store.reads()).toBe(1);
    expect(checks.filter(Boolean)).toHaveLength(2_500);
  });
});
