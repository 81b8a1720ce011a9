import type { ClickHouseClient } from '@clickhouse/client';
import type { StuckPartition } from '../processor/processor.ts';
import type { Migration } from '../store/migration.ts';
import type { Transport } from '../transport/transport.ts';

/**
 * one dependency a service needs before it can do its work; rejects with why it is not ready.
 * A check may resolve with `{ degraded }`: the service still serves (ready) but a part of it
 * lags (the api's live tail), and the probe says which and why.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a check that passes resolves with nothing (`async () => {}`), which `undefined` would not accept
export type ReadinessCheck = () => Promise<void | { degraded: string }>;

export interface Readiness {
  ready: boolean;
  /** names of the checks that passed degraded (absent when none did) */
  degraded?: string[];
  checks: Record<string, { ok: boolean; error?: string; degraded?: string }>;
}

/**
 * Runs every check at once, each bounded by `timeoutMs`: a probe must answer quickly even
 * when the broker is gone (kafkajs alone would retry for a minute).
 */
export async function checkReadiness(checks: Record<string, ReadinessCheck>, timeoutMs = 3_000): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const r = await Promise.race([check(), timeout]);
        return [name, r?.degraded ? { ok: true, degraded: r.degraded } : { ok: true }] as const;
      } catch (e) {
        return [name, { ok: false, error: (e as Error).message.split('\n')[0]!.slice(0, 300) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const degraded = entries.filter(([, r]) => 'degraded' in r).map(([name]) => name);
  return { ready: entries.every(([, r]) => r.ok), ...(degraded.length ? { degraded } : {}), checks: Object.fromEntries(entries) };
}

/** the store answers a query (a ping alone does not reach chDB behind `haidang store`) */
export function storeReachable(store: ClickHouseClient): ReadinessCheck {
  return async () => {
    const rs = await store.query({ query: 'SELECT 1 AS ok', format: 'JSONEachRow' });
    await rs.json();
  };
}

/** every migration this service relies on is recorded in `schema_migrations` */
export function migrationsApplied(store: ClickHouseClient, lists: ReadonlyArray<readonly Migration[]>): ReadinessCheck {
  return async () => {
    const rs = await store.query({ query: 'SELECT id FROM schema_migrations FINAL', format: 'JSONEachRow' });
    const have = new Set((await rs.json<{ id: number | string }>()).map((r) => Number(r.id)));
    const missing = lists.flat().filter((m) => !have.has(m.id)).map((m) => m.id);
    if (missing.length) throw new Error(`migrations not applied: ${missing.join(', ')}`);
  };
}

/** the log answers: for Kafka a metadata + offsets round trip to the broker */
export function brokerReachable(transport: Transport, groupId: string, topics: string[]): ReadinessCheck {
  return async () => {
    await transport.lag(groupId, topics);
  };
}

/**
 * every partition moves: one whose chunk the store has kept failing for `boundMs` or longer
 * makes the service not ready, and the answer names it and the store's last reason
 */
export function partitionsMoving(stuck: (forMs: number) => StuckPartition[], boundMs = 30_000): ReadinessCheck {
  return async () => {
    const list = stuck(boundMs);
    if (!list.length) return;
    const now = Date.now();
    throw new Error(list.map((s) => `partition ${s.topic}/${s.partition} stuck for ${Math.round((now - s.since) / 1000)} s (${s.attempts} attempts, ${s.kind === 'outage' ? 'store unavailable' : 'store refuses the batch'}): ${s.reason}`).join('; '));
  };
}
