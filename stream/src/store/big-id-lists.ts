import type { ClickHouseClient } from '@clickhouse/client';

/**
 * How a lookup of thousands of ids reaches the store without a 550 KB literal in its query
 * text, which ClickHouse lexes, copies and re-reads several times before parsing it: chDB in
 * this process reads them from a file (id-files.ts). `query(source)` is the lookup, with
 * `source` a SELECT of the ids (one column `id UUID`); the answer's rows come back as JSON
 * objects. A client over HTTP has none and keeps the literal: sending the ids as ClickHouse
 * external data (a multipart table, which `haidang store` serves) was measured and cost more
 * through `haidang store` (docs/benchmarks.md, "late night").
 */
export interface BigIdLists {
  rows<T>(ids: readonly string[], query: (source: string) => string): Promise<T[]>;
}

/** fewer ids than this travel in the query text: a file costs more than they do */
export const fewestForBigList = 1_000;

const byClient = new WeakMap<ClickHouseClient, BigIdLists>();

export function attachBigIdLists(client: ClickHouseClient, lists: BigIdLists): void {
  byClient.set(client, lists);
}

export function bigIdListsFor(client: ClickHouseClient): BigIdLists | undefined {
  return byClient.get(client);
}
