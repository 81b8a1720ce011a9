/** A commodity of the city pack, as a market reports it: its id, its names and its usual unit. */
export interface Commodity {
  id: string;
  name: { vi: string; en: string };
  unit: string;
}

const folded = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
/** without tone marks and with đ as d: what a keyboard without Vietnamese input types ("Thit heo nac") */
const bare = (s: string) => folded(s).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');

/**
 * The pack's commodity a spreadsheet cell names: its id, or its Vietnamese or English name, in
 * any case; failing that, the one commodity whose name matches with the tone marks left out.
 * Two commodities that match that way are no match (the clerk must say which).
 */
export function commodityNamed(commodities: readonly Commodity[], written: string): Commodity | undefined {
  const w = folded(written);
  const exact = commodities.find((c) => folded(c.id) === w || folded(c.name.vi) === w || folded(c.name.en) === w);
  if (exact) return exact;
  const b = bare(written);
  const loose = commodities.filter((c) => bare(c.name.vi) === b || bare(c.name.en) === b);
  return loose.length === 1 ? loose[0] : undefined;
}

/** why a commodity the pack does not list is refused, naming the ones it does (null: the pack lists none, anything goes) */
export function unknownCommodityReason(commodities: readonly Commodity[], written: string): string | null {
  if (!commodities.length || commodities.some((c) => c.id === written)) return null;
  const listed = commodities.map((c) => `${c.id} (${c.name.vi})`).join(', ');
  return `unknown commodity "${written.slice(0, 64)}": the city pack lists ${listed}`;
}
