import { describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import { compileAcceptor } from '../src/contracts/acceptor.ts';
import { decodeEvent } from '../src/contracts/decode.ts';
import { dataStreams, streams } from '../src/contracts/registry.ts';
import { bytesOf, validEvent } from './fixtures/events.ts';

/** what a careless or hostile producer puts in a field */
const oddValues: unknown[] = [
  null, undefined, true, false, 0, -0, -1, 1.5, 2 ** 32, 2 ** 32 - 1, 2 ** 53, -(2 ** 31), 1e308, Number.MAX_SAFE_INTEGER + 2, '', ' ', '1', '0x10', 'NaN',
  'a'.repeat(200), 'Pfizer', 'pork', 'kg', '18-49', 'bv-ba-ria', 'x y', 'tab\there', '🙂', [], [1], {}, { a: 1 },
  '2022-08-15T07:00:00+07:00', '2022-08-15T07:00:00Z', '2022-08-15T07:00:00', '2022-08-15', '1969-12-31T23:59:59Z', '2106-02-07T06:28:16Z', '2999-01-01T00:00:00Z', '2022-02-29T00:00:00Z',
  '01890a5d-ac96-774b-bcce-b302099a8057', '01890A5D-AC96-774B-BCCE-B302099A8057', '00000000-0000-0000-0000-000000000000', '01890a5d-ac96-974b-bcce-b302099a8057', '01890a5dac96774bbcceb302099a8057',
];

/** every path of plain-object fields in a value, e.g. ['payload', 'patientsBySupport', 'mask'] */
function paths(v: unknown, at: string[] = []): string[][] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [at];
  return [at, ...Object.keys(v).flatMap((k) => paths((v as Record<string, unknown>)[k], [...at, k]))];
}

/** the n-th broken copy of an event: 1–3 changes, spread over fields, kinds of change and odd values by n */
function mutate(event: unknown, n: number): unknown {
  const copy = structuredClone(event) as Record<string, unknown>;
  const all = paths(copy).filter((p) => p.length);
  const changes = 1 + (n % 3);
  for (let c = 0; c < changes; c++) {
    const pick = (stride: number, size: number) => (n * stride + c * 7919 + Math.floor(n / size)) % size;
    const path = all[pick(31, all.length)]!;
    let parent = copy as Record<string, unknown>;
    for (const k of path.slice(0, -1)) {
      const next = parent[k];
      if (!next || typeof next !== 'object' || Array.isArray(next)) break;
      parent = next as Record<string, unknown>;
    }
    const key = path[path.length - 1]!;
    const what = pick(13, 20) / 20;
    if (what < 0.15) delete parent[key];
    else if (what < 0.25) parent[`${key}Extra`] = 1;
    else if (what < 0.35 && typeof parent[key] === 'number') parent[key] = (parent[key] as number) * 1000 + 1;
    else parent[key] = structuredClone(oddValues[pick(7, oddValues.length)]);
  }
  return copy;
}

describe('the acceptor compiled from each contract', () => {
  it('accepts every valid example as it is, for every stream', () => {
    for (const stream of dataStreams) {
      const accept = compileAcceptor(streams[stream].schema);
      expect(accept(JSON.parse(JSON.stringify(validEvent(stream)))), stream).toBe(true);
    }
  });

  it('never accepts what zod refuses or would change: 4,000 broken events per stream', () => {
    for (const stream of dataStreams) {
      const schema = streams[stream].schema;
      const accept = compileAcceptor(schema);
      let refusedByZod = 0;
      let acceptedByBoth = 0;
      for (let i = 0; i < 4000; i++) {
        const value = JSON.parse(JSON.stringify(mutate(validEvent(stream), i)) ?? 'null') as unknown;
        const zod = schema.safeParse(value);
        if (!zod.success) refusedByZod++;
        if (accept(value)) {
          acceptedByBoth++;
          expect(zod.success, `${stream}: accepted what zod refuses: ${JSON.stringify(value)}`).toBe(true);
          expect(isDeepStrictEqual(zod.data, value), `${stream}: zod would change ${JSON.stringify(value)}`).toBe(true);
        }
      }
      // the mutations break most events, and the acceptor still says yes to those zod takes unchanged
      expect(refusedByZod, stream).toBeGreaterThan(2000);
      expect(acceptedByBoth, stream).toBeGreaterThan(0);
    }
  });

  it('leaves the reason to zod: a refused event is dead-lettered with the field zod names', () => {
    const event = validEvent('capacity');
    const d = decodeEvent('capacity', bytesOf({ ...event, payload: { ...event.payload, bedsOccupied: 999 } }));
    expect(d).toMatchObject({ ok: false, reason: 'HD_EVENT_INVALID', field: 'payload.bedsOccupied' });
    expect(decodeEvent('capacity', bytesOf({ ...event, observedAt: '2999-01-01T00:00:00Z' }))).toMatchObject({ ok: false, field: 'observedAt' });
    expect(decodeEvent('capacity', bytesOf({ ...event, __proto__: { x: 1 } }))).toMatchObject({ ok: true });
    expect(decodeEvent('capacity', Buffer.from(JSON.stringify(event).replace('{', '{"__proto__":{"x":1},')))).toMatchObject({ ok: false, reason: 'HD_EVENT_INVALID' });
  });
});
