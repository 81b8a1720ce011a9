import { allDescriptors, streams } from '@haidang/stream';
import type { CityPack } from '@haidang/city';
import type { DataEvent } from '../../src/index.ts';
import { ageShare } from '../../src/simulator/age-groups.ts';

/**
 * Invariants of any simulated run, as reusable checks: each returns the violations it found
 * (empty = holds), so a failing test prints the offending events rather than a bare false.
 */

export function schemaViolations(events: DataEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const r = streams[e.stream].schema.safeParse(e);
    if (!r.success) out.push(`${e.stream} ${e.entity} ${e.observedAt}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return out;
}

/** occupied ≤ total for every pair a capacity report carries */
export function capacityViolations(events: DataEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (e.stream !== 'capacity') continue;
    const p = e.payload;
    const pairs: Array<[string, number, number]> = [
      ['beds', p.bedsOccupied, p.bedsTotal],
      ['oxygenBeds', p.oxygenBedsOccupied, p.oxygenBedsTotal],
      ['icuBeds', p.icuBedsOccupied, p.icuBedsTotal],
      ['ventilators', p.ventilatorsInUse, p.ventilatorsTotal],
      ['oxygenPatients', Object.values(p.patientsBySupport).reduce((a, b) => a + b, 0), p.oxygenBedsOccupied],
    ];
    for (const [name, part, whole] of pairs) if (part > whole) out.push(`${e.entity} ${e.observedAt}: ${name} ${part} > ${whole}`);
  }
  return out;
}

/**
 * Cumulative counts never fall (every interval count ≥ 0), doses never exceed the people of
 * that age in the ward, and an agency never resolves more dossiers than it received.
 */
export function cumulativeViolations(pack: CityPack, events: DataEvent[]): string[] {
  const out: string[] = [];
  const population = new Map(pack.wards.features.map((f) => [f.properties.code, f.properties.population]));
  const doses = new Map<string, number>();
  const received = new Map<string, number>();
  const resolved = new Map<string, number>();
  for (const e of events) {
    if (e.stream === 'vaccination') {
      const k = `${e.entity}|${e.payload.ageGroup}|${e.payload.doseNumber}`;
      if (e.payload.doses < 0) out.push(`${k}: negative doses`);
      const total = (doses.get(k) ?? 0) + e.payload.doses;
      doses.set(k, total);
      const ceiling = (population.get(e.entity) ?? 0) * ageShare[e.payload.ageGroup];
      if (total > ceiling) out.push(`${k}: ${total} doses > ${Math.floor(ceiling)} people`);
    } else if (e.stream === 'dossiers') {
      const r = (received.get(e.entity) ?? 0) + e.payload.received;
      const s = (resolved.get(e.entity) ?? 0) + e.payload.resolved;
      received.set(e.entity, r);
      resolved.set(e.entity, s);
      if (e.payload.received < 0 || e.payload.resolved < 0) out.push(`${e.entity} ${e.observedAt}: negative count`);
      if (s > r) out.push(`${e.entity} ${e.observedAt}: resolved ${s} > received ${r}`);
    }
  }
  return out;
}

/** every entity an event names exists in the pack, for its stream */
export function unknownEntities(pack: CityPack, events: DataEvent[]): string[] {
  // each stream's list is the pack's list its descriptor names (`entity.places`): an array, or a GeoJSON collection's feature properties
  const listOf = (places: string): Array<Record<string, unknown>> => {
    const held = (pack as unknown as Record<string, unknown>)[places] as { features?: Array<{ properties: Record<string, unknown> }> } | Array<Record<string, unknown>> | undefined;
    return Array.isArray(held) ? held : (held?.features?.map((f) => f.properties) ?? []);
  };
  const known = new Map(allDescriptors.map((d) => [d.name, new Set(listOf(d.entity.places).map((p) => String(p[d.entity.idField ?? 'id'])))]));
  return [...new Set(events.filter((e) => !known.get(e.stream)?.has(e.entity)).map((e) => `${e.stream}:${e.entity}`))];
}
