import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { manifestField } from '../src/contracts/manifest.ts';
import { allDescriptors, dataStreams, streams } from '../src/contracts/registry.ts';
import { roleNames } from '../src/streams/role-names.ts';
import { streamTables } from '../src/store/tables.ts';
import { validEvent } from './fixtures/events.ts';

/** the value at a dotted path */
const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

/** the payload's leaf paths, from its zod shape (nested strict objects are walked) */
function leafPaths(schema: z.ZodType, prefix = ''): string[] {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return [prefix];
  return Object.entries(shape).flatMap(([k, v]) => {
    const inner = v instanceof z.ZodOptional ? (v.unwrap() as z.ZodType) : v;
    return leafPaths(inner, prefix ? `${prefix}.${k}` : k);
  });
}

/**
 * A descriptor is the whole of a stream: whatever a new stream's author writes, these hold or
 * the stream does not build. Each check is what some part derived from it relies on.
 */
describe.each(allDescriptors.map((d) => [d.name, d] as const))('descriptor %s', (name, d) => {
  it('names its topic ioc.<name>.v<version>, and is in the registry under its name', () => {
    expect(d.topic).toBe(`ioc.${name}.v${d.version}`);
    expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(dataStreams).toContain(name);
  });

  it('describes every payload field once, each path and column distinct, dimensions among them', () => {
    expect(d.fields.map((f) => f.path).sort()).toEqual(leafPaths(d.payload).sort());
    expect(new Set(d.fields.map((f) => f.column)).size).toBe(d.fields.length);
    for (const f of d.fields) {
      expect(f.column).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(['id', 'source', 'entity', 'observed_at', 'received_at', 'version', 'log_partition', 'log_offset', 'stored_at', 'ver', 'bucket']).not.toContain(f.column);
      expect(f.upload.headers.length, f.path).toBeGreaterThan(0);
      expect(manifestField.safeParse({ name: f.path, type: f.type, label: f.label, summed: false, dimension: !!f.dimension }).success, f.path).toBe(true);
    }
    if (d.kind === 'gauge') expect(d.fields.some((f) => f.dimension), 'a gauge rolls up by entity and dimensions').toBe(true);
  });

  it('reads every column from a valid payload, as its table type expects', () => {
    if (!(name in { capacity: 1, vaccination: 1, prices: 1, dossiers: 1 })) return; // fixtures of the first four; a new stream tests its own
    const e = validEvent(name as 'capacity');
    for (const f of d.fields) {
      const v = f.read(e.payload as never);
      if (v === null) expect(f.store, f.path).toMatch(/^Nullable\(/);
      else if (f.type === 'integer' || f.type === 'number') expect(typeof v, f.path).toBe('number');
      else if (f.type === 'boolean') expect(typeof v, f.path).toBe('boolean');
      else expect(typeof v, f.path).toBe('string');
      if (at(e.payload, f.path) !== undefined && v !== null) expect(v, f.path).toEqual(at(e.payload, f.path));
    }
    expect(streams[name as 'capacity'].schema.safeParse(e).success).toBe(true);
  });

  it('names roles, ratio fields and a current-state path that exist', () => {
    expect(d.roles.length).toBeGreaterThan(0);
    for (const r of d.roles) expect(roleNames).toContain(r);
    for (const r of d.ratios) for (const p of [r.numerator, r.denominator]) expect(d.fields.map((f) => f.path), r.name).toContain(p);
    expect(d.currentPath).toMatch(/^\/[a-z0-9/_-]+$/);
    expect(d.cadence.cadenceMinutes).toBeGreaterThan(0);
    expect(streamTables[name as 'capacity'].columns.map(([c]) => c)).toEqual(d.fields.map((f) => f.column));
  });
});

it('streams differ in topic, channel, current-state path and KPI ids', () => {
  for (const key of ['topic', 'channel', 'currentPath'] as const) expect(new Set(allDescriptors.map((d) => d[key])).size, key).toBe(allDescriptors.length);
  const kpis = allDescriptors.flatMap((d) => d.kpis.map((k) => k.id));
  expect(new Set(kpis).size).toBe(kpis.length);
});
