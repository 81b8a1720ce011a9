import type { DataStreamName } from '@haidang/stream';

/**
 * The entities of the city pack each stream reports about: facilities (capacity), wards
 * (vaccination), markets (prices), agencies (dossiers). A stream without a list is not
 * checked (a deployment without a pack).
 */
export type EntityCatalogue = Partial<Record<DataStreamName, readonly string[]>>;

/** the entities of `entities` that no stream of `streams` knows, when the catalogue lists them */
export function unknownEntities(catalogue: EntityCatalogue, streams: readonly DataStreamName[], entities: readonly string[]): string[] {
  const lists = streams.map((s) => catalogue[s]).filter((l): l is readonly string[] => !!l && l.length > 0);
  if (lists.length < streams.length) return [];
  const known = new Set(lists.flat());
  return entities.filter((e) => !known.has(e));
}

/** the catalogue from the city pack's places (the api's `Places`, structurally) */
export function entityCatalogueOf(places: { facilities: ReadonlyArray<{ id: string }>; wards: ReadonlyArray<{ code: string }>; markets: ReadonlyArray<{ id: string }>; agencies: ReadonlyArray<{ id: string }> }): EntityCatalogue {
  return {
    capacity: places.facilities.map((f) => f.id),
    vaccination: places.wards.map((w) => w.code),
    prices: places.markets.map((m) => m.id),
    dossiers: places.agencies.map((a) => a.id),
  };
}
