import { allDescriptors, type DataStreamName } from '@haidang/stream';

/**
 * The entities of the city pack each stream reports about: facilities (capacity), wards
 * (vaccination), markets (prices), agencies (dossiers), as each stream's descriptor names
 * them (`entity.places`). A stream without a list is not checked (a deployment without a pack).
 */
export type EntityCatalogue = Partial<Record<DataStreamName, readonly string[]>>;

/** the entities of `entities` that no stream of `streams` knows, when the catalogue lists them */
export function unknownEntities(catalogue: EntityCatalogue, streams: readonly DataStreamName[], entities: readonly string[]): string[] {
  const lists = streams.map((s) => catalogue[s]).filter((l): l is readonly string[] => !!l && l.length > 0);
  if (lists.length < streams.length) return [];
  const known = new Set(lists.flat());
  return entities.filter((e) => !known.has(e));
}

/** the catalogue from the city pack's places (the api's `Places`, structurally): each stream's list is its descriptor's `entity.places` */
export function entityCatalogueOf(places: object): EntityCatalogue {
  const lists = places as Record<string, ReadonlyArray<Record<string, unknown>> | undefined>;
  return Object.fromEntries(
    allDescriptors.flatMap((d) => {
      const list = lists[d.entity.places];
      return Array.isArray(list) ? [[d.name, list.map((p) => String(p[d.entity.idField ?? 'id']))]] : [];
    }),
  ) as EntityCatalogue;
}
