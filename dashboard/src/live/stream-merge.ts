import type { ManifestStream } from '@haidang/stream/manifest';

/** one row of a stream's current state: the entity, the dimension and value fields, the ratios, the times */
export type Row = Record<string, unknown>;
/** a delta item as the socket sends it: the envelope's entity and times, then the payload fields */
export type DeltaItem = Record<string, unknown> & { entity?: string; observedAt?: string; receivedAt?: string };
/** how a stream's rows take a frame of deltas; returns the same array when nothing changed */
export type Merge = (rows: Row[], items: DeltaItem[]) => Row[];

export const num = (v: unknown, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
export const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
/** a field's value; a manifest field name may be a dotted payload path ('patientsBySupport.mask') */
function valueAt(r: Row, name: string): unknown {
  if (name in r || !name.includes('.')) return r[name];
  let v: unknown = r;
  for (const k of name.split('.')) v = v && typeof v === 'object' ? (v as Row)[k] : undefined;
  return v;
}
const time = (v: unknown) => (typeof v === 'string' ? v : '');
const later = (a: string, b: string) => (a > b ? a : b);

/**
 * The merge of any stream, read from its manifest entry: a row per entity and dimension
 * values; a `gauge` report replaces the row (a late report does not undo a newer one), a
 * `counter` report adds its `summed` fields to the row (its other fields take the newest
 * report's); then the manifest's ratios are recomputed. Fields the snapshot gave that the
 * stream's payload has not (an entity's name) are kept.
 */
export function streamMerge(s: Pick<ManifestStream, 'kind' | 'fields' | 'ratios'>): Merge {
  const dimensions = s.fields.filter((f) => f.dimension).map((f) => f.name);
  const summed = new Set(s.kind === 'counter' ? s.fields.filter((f) => f.summed).map((f) => f.name) : []);
  const values = s.fields.filter((f) => !f.dimension).map((f) => f.name);
  const keyOf = (r: Row) => JSON.stringify([r.entity, ...dimensions.map((d) => valueAt(r, d) ?? null)]);
  return (rows, items) => {
    if (!items.length) return rows;
    const byKey = new Map(rows.map((r) => [keyOf(r), r]));
    let changed = false;
    for (const d of items) {
      if (typeof d.entity !== 'string') continue;
      const key = keyOf(d);
      const old = byKey.get(key);
      const observedAt = time(d.observedAt);
      const newest = !old || observedAt >= time(old.observedAt);
      if (s.kind === 'gauge' && !newest) continue; // a late report does not undo a newer one
      // the row holds every field under its manifest name (a dotted path flattened to one key)
      const next: Row = { ...old, entity: d.entity };
      for (const f of dimensions) next[f] = valueAt(d, f) ?? null;
      for (const f of values) {
        const v = valueAt(d, f);
        if (summed.has(f)) next[f] = num(old?.[f]) + num(v);
        else if (newest && v !== undefined) next[f] = v;
      }
      next.observedAt = later(time(old?.observedAt), observedAt);
      next.receivedAt = later(time(old?.receivedAt), time(d.receivedAt));
      withRatios(s, next);
      byKey.set(key, next);
      changed = true;
    }
    return changed ? [...byKey.values()] : rows;
  };
}

/** sets the manifest's ratios of a row from its fields (the api's generic current state sends the fields only) */
function withRatios(s: Pick<ManifestStream, 'ratios'>, r: Row): Row {
  for (const q of s.ratios) r[q.name] = ratio(num(valueAt(r, q.numerator)), num(valueAt(r, q.denominator)));
  return r;
}

/** a snapshot's rows with every manifest field under its own name (dotted paths read out of nested objects) and the ratios set */
export function flatRows(s: Pick<ManifestStream, 'fields' | 'ratios'>, rows: Row[]): Row[] {
  return rows.map((r) => {
    const out: Row = { ...r };
    for (const f of s.fields) if (!(f.name in out)) out[f.name] = valueAt(r, f.name);
    return withRatios(s, out);
  });
}

/** rows in an api answer: the answer itself when it is a list, else the first list it holds (`{ facilities: [...] }`) */
export function rowsIn(answer: unknown): Row[] | undefined {
  if (Array.isArray(answer)) return answer.filter((r): r is Row => !!r && typeof r === 'object');
  if (answer && typeof answer === 'object') for (const v of Object.values(answer)) if (Array.isArray(v)) return rowsIn(v);
  return undefined;
}
