/** JSON with object keys sorted at every level: two reports with the same fields in another order read the same */
export function canonical(value: unknown): string {
  return JSON.stringify(sorted(value));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
  return v;
}
