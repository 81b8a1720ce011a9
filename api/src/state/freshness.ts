import type { ClickHouseClient } from '@clickhouse/client';
import { dataStreams, type DataStreamName } from '@haidang/stream';
import { selectRows } from './store-query.ts';
import { isoFromCh } from './time-range.ts';

/**
 * How often each stream is expected to report. A stream is stale when nothing was
 * received for two cadences: the wall screen must say so rather than show old numbers as
 * current. Received time (wall clock) decides, not observed time, which a replay or the
 * simulator may put anywhere.
 */
export const cadenceMs: Record<DataStreamName, number> = {
  capacity: 15 * 60_000,
  vaccination: 60 * 60_000,
  prices: 60 * 60_000,
  dossiers: 60 * 60_000,
};

export async function freshness(client: ClickHouseClient, now = new Date()) {
  const parts = dataStreams.map((s) => `SELECT '${s}' AS stream, toString(max(observed_at)) AS observed_at, toString(max(received_at)) AS received_at, count() AS series FROM ${s}_latest`);
  const rows = await selectRows<{ stream: DataStreamName; observed_at: string; received_at: string; series: string }>(client, parts.join(' UNION ALL '));
  return dataStreams.map((s) => {
    const r = rows.find((x) => x.stream === s);
    const has = r && Number(r.series) > 0;
    const received = has ? isoFromCh(r.received_at) : null;
    const ageMs = received ? now.getTime() - Date.parse(received) : null;
    return {
      stream: s,
      lastObservedAt: has ? isoFromCh(r.observed_at) : null,
      lastReceivedAt: received,
      series: has ? Number(r.series) : 0,
      cadenceSeconds: cadenceMs[s] / 1000,
      ageSeconds: ageMs === null ? null : Math.round(ageMs / 1000),
      stale: ageMs === null || ageMs > 2 * cadenceMs[s],
    };
  });
}
