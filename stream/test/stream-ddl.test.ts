import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { dataStreams } from '../src/contracts/registry.ts';
import { frozenStatements, statementSeparator } from '../src/store/frozen-sql.ts';
import { migrations } from '../src/store/migration.ts';
import { streamStatements, writeStreamMigration } from '../src/store/stream-ddl.ts';

/** every statement migrations 1–4 applied, as stores hold them */
const frozen = new Set(['0001_streams.sql', '0002_minute_rollup_view.sql', '0003_event_ids.sql', '0004_event_ids_by_time.sql'].flatMap(frozenStatements));

/** a stream added after 0001 has its own frozen file, 000N_<stream>.sql */
const ownFile = (stream: string) => readdirSync(join(import.meta.dirname, '../src/store/migrations')).find((f) => f.endsWith(`_${stream}.sql`));

it.each([...dataStreams])('`haidang migration new` would give %s exactly the tables every store has (the frozen statements of 0001–0004, or of its own migration)', (stream) => {
  const file = ownFile(stream);
  const known = file ? new Set(frozenStatements(file)) : frozen;
  for (const s of streamStatements(stream)) expect(known.has(s), s.slice(0, 80)).toBe(true);
});

it('writes the next migration file from a new stream’s descriptor, and refuses a stream that has its tables or is not registered', () => {
  const dir = mkdtempSync(join(tmpdir(), 'haidang-migrations-'));
  for (const f of ['0001_streams.sql', '0002_minute_rollup_view.sql', '0003_event_ids.sql', '0004_event_ids_by_time.sql']) writeFileSync(join(dir, f), '');
  const fresh = dataStreams.filter((s) => !['capacity', 'vaccination', 'prices', 'dossiers'].includes(s));
  for (const [i, stream] of fresh.entries()) {
    const w = writeStreamMigration(stream, dir);
    expect(w).toMatchObject({ file: `${String(5 + i).padStart(4, '0')}_${stream}.sql`, id: 5 + i });
    expect(readFileSync(join(dir, w.file), 'utf8')).toBe(`${streamStatements(stream).join(statementSeparator)}\n`);
    expect(() => writeStreamMigration(stream, dir)).toThrow(/already has its migration/);
  }
  expect(() => writeStreamMigration('prices', dir)).toThrow(/already has its migration: 0001_streams.sql/);
  expect(() => writeStreamMigration('nope', dir)).toThrow(/no stream "nope"/);
  expect(readdirSync(dir)).toHaveLength(4 + fresh.length);
});

it('the migrations are 0001–0004 and one per stream migration file, in id order', () => {
  const ids = migrations.map((m) => m.id);
  expect(ids.slice(0, 4)).toEqual([1, 2, 3, 4]);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
});
