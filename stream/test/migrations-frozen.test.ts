import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { kpiHourlyStatements } from '../src/store/kpi-hourly-ddl.ts';
import { checksum, migrations } from '../src/store/migration.ts';
import { kpiHourlyLast } from '../src/store/migrations/0006_kpi_hourly_last.ts';

/**
 * Applied migrations are frozen text: a store records each one's checksum and refuses to
 * start when the code's text differs (HD_MIGRATION_CHANGED). These are the checksums stores
 * in the field hold; a change to an applied migration fails here, before it reaches one.
 * Changing a stream's columns is a new migration with a new line below.
 */
const applied: Record<number, string> = {
  1: '36fa0ca435af6801',
  2: '36820b713c6dd358',
  3: 'c7a5ef9983ec3168',
  4: '4a1da9c0e1384c42',
  5: '7704f71fa49bebd3',
  6: '413a32e3f087e1ce',
};

it.each(migrations.map((m) => [m.id, m.name, m] as const))('migration %i (%s) is the text stores applied', (id, _name, m) => {
  expect(applied[id], `migration ${id} has no recorded checksum: add it here once it is final`).toBeDefined();
  expect(checksum(m)).toBe(applied[id]);
});

it('migrations 1 and 2 are the text commit a075968 generated and applied (tests/fixtures/store-a075968)', () => {
  const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../tests/fixtures/store-a075968/migrations.json'), 'utf8')) as Array<{ id: number; checksum: string; statements: string[] }>;
  for (const f of fixture) {
    const m = migrations.find((x) => x.id === f.id)!;
    expect(m.statements).toEqual(f.statements);
    expect(checksum(m)).toBe(f.checksum);
  }
});

it('migration 6 is what its generator writes from the columns it records (kpiHourlyLast)', () => {
  const m = migrations.find((x) => x.id === 6)!;
  expect(m.statements).toEqual(Object.entries(kpiHourlyLast).flatMap(([stream, columns]) => kpiHourlyStatements(stream as 'capacity', columns)));
});
