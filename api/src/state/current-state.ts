import type { ClickHouseClient } from '@clickhouse/client';
import { chTime, descriptorOf, isSummed, tableNames, type DataStreamName, type StreamDescriptor } from '@haidang/stream';
import type { Places } from '../places.ts';
import { capacityNow } from './capacity.ts';
import { dossiersByAgency } from './dossiers.ts';
import { pricesNow } from './prices.ts';
import { selectRows } from './store-query.ts';
import { isoFromCh } from './time-range.ts';
import { vaccinationByWard } from './vaccination.ts';

/** a stream's current state: what its live channel sends as the snapshot and its current-state route answers */
export type CurrentStateQuery = (store: ClickHouseClient, places: Places) => Promise<unknown>;

/**
 * The api's extension of the stream descriptors, keyed by stream, registered here only: the
 * streams whose current state has a query of its own (with the city's places joined, sorts,
 * coverage). A stream not listed gets the generic one (`genericCurrentState`) at its
 * descriptor's `currentPath`, so a new stream needs nothing here.
 */
export const currentStateQueries: Partial<Record<DataStreamName, CurrentStateQuery>> = {
  capacity: (store, places) => capacityNow(store, places, { sort: 'freeOxygenBeds', order: 'desc' }),
  vaccination: (store, places) => vaccinationByWard(store, places, {}),
  prices: (store, places) => pricesNow(store, places, {}),
  dossiers: (store, places) => dossiersByAgency(store, places, { from: chTime(new Date(Date.now() - 86_400_000)), to: chTime(new Date(Date.now() + 60_000)) }, {}),
};

/** a stored value back to the payload's type (64-bit integers come back from JSON as strings) */
function valueOf(type: StreamDescriptor['fields'][number]['type'], v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'integer' || type === 'number') return Number(v);
  if (type === 'boolean') return v === true || v === 1 || v === '1' || v === 'true';
  return v;
}

/** sets `path` ('a.b') in `target` */
function put(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let o = target;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]!] = value;
}

/**
 * The generic current state of a stream from its descriptor, one row per entity and
 * dimensions, shaped like its live deltas (`entity`, `observedAt`, `receivedAt` and the
 * payload's fields): a gauge's newest report (corrections applied, `<s>_latest`); a counter's
 * sums over the last day of corrected reports (`<s>_asof`).
 */
export async function genericCurrentState(store: ClickHouseClient, stream: DataStreamName): Promise<Array<Record<string, unknown>>> {
  const d = descriptorOf(stream) as unknown as StreamDescriptor;
  const t = tableNames(stream);
  const q = (c: string) => `\`${c}\``;
  const dims = d.fields.filter((f) => f.dimension);
  // aliases differ from the column names: ClickHouse would otherwise read an alias inside WHERE and other expressions
  const alias = (c: string) => q(`v_${c}`);
  const sql =
    d.kind === 'gauge'
      ? `SELECT entity, toString(observed_at) AS last_observed, toString(received_at) AS last_received, ${d.fields.map((f) => `${q(f.column)} AS ${alias(f.column)}`).join(', ')} FROM ${t.latest} FINAL ORDER BY entity`
      : `SELECT entity, toString(max(observed_at)) AS last_observed, toString(max(received_at)) AS last_received, ${[
          ...dims.map((f) => `${q(f.column)} AS ${alias(f.column)}`),
          ...d.fields.filter((f) => !f.dimension).map((f) => (isSummed(d, f) ? `sum(${q(f.column)})` : `argMax(${q(f.column)}, observed_at)`) + ` AS ${alias(f.column)}`),
        ].join(', ')} FROM ${t.asof} FINAL WHERE observed_at >= now64(3) - INTERVAL 1 DAY GROUP BY entity${dims.map((f) => `, ${q(f.column)}`).join('')} ORDER BY entity`;
  const rows = await selectRows<Record<string, unknown>>(store, sql, {}, { streams: [stream] });
  return rows.map((r) => {
    const out: Record<string, unknown> = { entity: r.entity, observedAt: isoFromCh(r.last_observed as string), receivedAt: isoFromCh(r.last_received as string) };
    for (const f of d.fields) put(out, f.path, valueOf(f.type, r[`v_${f.column}`]));
    return out;
  });
}

/** the current state of any stream: its own query, else the generic one */
export function currentState(store: ClickHouseClient, places: Places, stream: DataStreamName): Promise<unknown> {
  const own = currentStateQueries[stream];
  return own ? own(store, places) : genericCurrentState(store, stream);
}
