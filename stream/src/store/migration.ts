import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { errorOf } from '../error-of.ts';
import { HaiDangError } from '../errors.ts';
import { onCluster } from './cluster-sql.ts';
import { readdirSync } from 'node:fs';
import { frozenStatements, statementSeparator } from './frozen-sql.ts';
import { migration as m0001 } from './migrations/0001_streams.ts';
import { migration as m0002 } from './migrations/0002_minute_rollup_view.ts';
import { migration as m0003 } from './migrations/0003_event_ids.ts';
import { migration as m0004 } from './migrations/0004_event_ids_by_time.ts';
import { migration as m0006 } from './migrations/0006_kpi_hourly_last.ts';
import { migrationsDir, streamMigrationFile } from './stream-ddl.ts';

export interface Migration {
  id: number;
  name: string;
  statements: string[];
}

/**
 * Every migration, in order. Append; never edit one that has shipped (its checksum is recorded,
 * and stream/test/migrations-frozen.test.ts records it too). Changing a stream's columns in
 * tables.ts is a new migration (ALTER TABLE … ADD COLUMN on raw, as-of and latest; the views
 * re-created with the new column list) with its SQL frozen in a .sql file like the others.
 */
export const migrations: readonly Migration[] = [m0001, m0002, m0003, m0004, ...streamMigrations(), m0006].sort((a, b) => a.id - b.id);

/**
 * The migrations of streams added since (`haidang migration new <stream>` writes them): a
 * frozen `000N_<stream>.sql` with no .ts beside it, found in the folder, in id order.
 */
function streamMigrations(): Migration[] {
  const files = readdirSync(migrationsDir);
  return files
    .map((f) => streamMigrationFile.exec(f))
    .filter((m): m is RegExpExecArray => !!m && Number(m[1]) > 4 && !files.includes(`${m[1]}_${m[2]}.ts`))
    .map((m) => ({ id: Number(m[1]), name: `stream ${m[2]}: raw, as-of, latest, rollup and id tables`, statements: frozenStatements(m[0]) }))
    .sort((a, b) => a.id - b.id);
}

export const checksum = (m: Migration) => createHash('sha256').update(m.statements.join(statementSeparator)).digest('hex').slice(0, 16);

/**
 * Applies the migrations not yet recorded in `schema_migrations`, once each, in order.
 * Every statement is idempotent (IF NOT EXISTS), so a run interrupted half-way is safe to repeat.
 * With `cluster` (HAIDANG_CLICKHOUSE_CLUSTER), each frozen statement is applied in its cluster
 * variant (cluster-sql.ts: replicated tables ON CLUSTER, distributed tables in front); the
 * checksum stays that of the frozen statements.
 */
export async function migrate(client: ClickHouseClient, logger?: Logger, list: readonly Migration[] = migrations, o: { cluster?: string | undefined } = {}): Promise<number[]> {
  const tables = new Set<string>();
  const variant = (statements: readonly string[]) => (o.cluster ? onCluster(statements, o.cluster, tables) : [...statements]);
  for (const query of variant([`CREATE TABLE IF NOT EXISTS schema_migrations (id UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree ORDER BY id`]))
    await client.command({ query });
  const rs = await client.query({ query: 'SELECT id, checksum FROM schema_migrations FINAL', format: 'JSONEachRow' });
  const applied = new Map((await rs.json<{ id: number; checksum: string }>()).map((r) => [Number(r.id), r.checksum]));
  const done: number[] = [];
  for (const m of list) {
    const sum = checksum(m);
    const had = applied.get(m.id);
    if (had) {
      variant(m.statements); // the tables it created, for the views of later migrations
      if (had !== sum) throw new HaiDangError('HD_MIGRATION_CHANGED', `migration ${m.id} (${m.name}) changed after it was applied`, { id: m.id, recorded: had, now: sum });
      continue;
    }
    for (const [i, statement] of variant(m.statements).entries()) {
      try {
        await client.command({ query: statement });
      } catch (e) {
        // the store going away mid-migration is an outage to retry, not a broken migration
        if (errorOf(e).code === 'HD_STORE_UNAVAILABLE') throw errorOf(e);
        throw new HaiDangError('HD_MIGRATION_FAILED', `migration ${m.id} (${m.name}), statement ${i + 1}: ${(e as Error).message}`, { id: m.id, statement: i + 1 }, { cause: e });
      }
    }
    await client.insert({ table: 'schema_migrations', values: [{ id: m.id, name: m.name, checksum: sum }], format: 'JSONEachRow' });
    logger?.info({ migration: m.id, name: m.name }, 'migration applied');
    done.push(m.id);
  }
  return done;
}
