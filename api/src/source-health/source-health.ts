import type { ClickHouseClient } from '@clickhouse/client';
import { chTime, dataStreams, type DataStreamName, type TopicNames } from '@haidang/stream';
import { selectRows } from '../state/store-query.ts';
import { isoFromCh } from '../state/time-range.ts';
import type { StreamCadences } from '../state/freshness.ts';
import { silentSeconds, sourceCadence, timeliness, type Timeliness } from './cadence.ts';

export interface SourceHealthOptions {
  /** cadence in seconds per source or source prefix (see cadence.ts) */
  cadenceBySource?: Record<string, number>;
  /** the city pack's cadence and reporting hours per stream, and its time zone (api/src/state/freshness.ts) */
  cadences?: StreamCadences | undefined;
  timeZone?: string | undefined;
  /** a reject share in the last hour at least this high, and `rejectJumpFactor` × the day's before it, is a jump */
  rejectJumpShare?: number;
  rejectJumpFactor?: number;
  /** fewer events than this in the last hour cannot make a jump (one bad row of two is noise) */
  rejectJumpMinEvents?: number;
  /** health of the pollers this process runs (`PollerSet.health` of @haidang/ingest) */
  pollers?: () => ReadonlyArray<{ source: string }>;
  now?: () => Date;
}

/** received → valid → stored of one source over a window; refused = received − stored */
interface Accounting {
  received: number;
  valid: number;
  stored: number;
  refused: number;
}

export interface SourceHealth {
  source: string;
  kind: 'poller' | 'simulator' | 'push-or-upload' | 'unknown';
  streams: DataStreamName[];
  cadenceSeconds: number;
  /** when Hải Đăng last stored or refused an event of this source (its clock, not the producer's) */
  lastReceivedAt: string | null;
  ageSeconds: number | null;
  status: Timeliness;
  eventsPerHour: number;
  total: Accounting;
  last24h: Accounting;
  /** refused / received in the last 24 h and the last hour; null with nothing received */
  rejectShare24h: number | null;
  rejectShare1h: number | null;
  topReasons: Array<{ reason: string; count: number }>;
  flags: { silent: boolean; late: boolean; rejectJump: boolean };
  poller?: unknown;
}

interface StoredRow {
  source: string;
  stream: DataStreamName;
  n: string;
  n24: string;
  n1: string;
  last: string;
}
interface DeadRow {
  source: string;
  topic: string;
  reason: string;
  n: string;
  n24: string;
  n1: string;
  last: string;
}

const kindOf = (source: string): SourceHealth['kind'] =>
  source === '' ? 'unknown' : source.startsWith('poller:') ? 'poller' : source.startsWith('simulator:') ? 'simulator' : 'push-or-upload';
const share = (refused: number, received: number) => (received > 0 ? refused / received : null);
const empty = (): Accounting => ({ received: 0, valid: 0, stored: 0, refused: 0 });

/**
 * Delivery accounting per data source (`source` of the envelope): what reached the log was
 * stored (`<stream>_raw`) or refused (`deadletter`, with its reason). "Valid" counts the
 * stored plus those valid by the schema that ClickHouse still refused. Dead letters of bytes
 * that were not JSON carry no source: they are reported under `""` (kind unknown).
 *
 * The tables are scanned per call; at the IOC's volume (thousands of events an hour) that is
 * milliseconds. A per-hour materialised count would be the next step at a larger scale.
 */
export async function sourceHealth(client: ClickHouseClient, topics: TopicNames, o: SourceHealthOptions = {}): Promise<SourceHealth[]> {
  const now = (o.now ?? (() => new Date()))();
  const params = { day: chTime(new Date(now.getTime() - 86_400_000)), hour: chTime(new Date(now.getTime() - 3_600_000)) };
  const window = `count() AS n, countIf(%t >= {day:DateTime64(3, 'UTC')}) AS n24, countIf(%t >= {hour:DateTime64(3, 'UTC')}) AS n1, toString(max(%t)) AS last`;
  const storedSql = dataStreams.map((s) => `SELECT source, '${s}' AS stream, ${window.replaceAll('%t', 'stored_at')} FROM ${s}_raw GROUP BY source`).join(' UNION ALL ');
  const [stored, dead] = await Promise.all([
    selectRows<StoredRow>(client, storedSql, params),
    selectRows<DeadRow>(client, `SELECT ifNull(source, '') AS source, topic, reason, ${window.replaceAll('%t', 'dead_at')} FROM deadletter GROUP BY source, topic, reason`, params),
  ]);

  const bySource = new Map<string, { streams: Set<DataStreamName>; total: Accounting; day: Accounting; hour: Accounting; last: number; reasons: Map<string, number> }>();
  const entry = (source: string) => {
    let e = bySource.get(source);
    if (!e) bySource.set(source, (e = { streams: new Set(), total: empty(), day: empty(), hour: empty(), last: 0, reasons: new Map() }));
    return e;
  };
  for (const r of stored) {
    const e = entry(r.source);
    e.streams.add(r.stream);
    for (const [acc, n] of [[e.total, r.n], [e.day, r.n24], [e.hour, r.n1]] as const) {
      acc.received += Number(n);
      acc.valid += Number(n);
      acc.stored += Number(n);
    }
    e.last = Math.max(e.last, Date.parse(isoFromCh(r.last)!));
  }
  for (const r of dead) {
    const e = entry(r.source);
    const stream = topics.streamOf(r.topic);
    if (stream) e.streams.add(stream);
    const validButRefused = r.reason === 'HD_EVENT_REJECTED_BY_STORE';
    for (const [acc, n] of [[e.total, r.n], [e.day, r.n24], [e.hour, r.n1]] as const) {
      acc.received += Number(n);
      acc.refused += Number(n);
      if (validButRefused) acc.valid += Number(n);
    }
    e.reasons.set(r.reason, (e.reasons.get(r.reason) ?? 0) + Number(r.n24));
    e.last = Math.max(e.last, Date.parse(isoFromCh(r.last)!));
  }

  const pollers = new Map((o.pollers?.() ?? []).map((p) => [p.source, p]));
  for (const p of pollers.keys()) entry(p); // a poller that never delivered is silent, not absent
  const jumpShare = o.rejectJumpShare ?? 0.2;
  const jumpFactor = o.rejectJumpFactor ?? 2;
  const jumpMin = o.rejectJumpMinEvents ?? 5;

  return [...bySource.entries()]
    .map(([source, e]): SourceHealth => {
      const streams = [...e.streams].sort() as DataStreamName[];
      const cadence = sourceCadence(source, streams.length ? streams : [...dataStreams], o.cadenceBySource, o.cadences);
      const cadenceSeconds = cadence.cadenceMinutes * 60;
      const ageSeconds = e.last ? Math.max(0, Math.round((now.getTime() - e.last) / 1000)) : null;
      // silence outside the source's reporting hours does not count (the same rule as the wall's badges)
      const status = timeliness(silentSeconds(e.last || null, now.getTime(), cadence, o.timeZone), cadenceSeconds);
      const share1h = share(e.hour.refused, e.hour.received);
      const before = { refused: e.day.refused - e.hour.refused, received: e.day.received - e.hour.received };
      const shareBefore = share(before.refused, before.received) ?? 0;
      const rejectJump = share1h !== null && e.hour.received >= jumpMin && share1h >= jumpShare && share1h >= jumpFactor * shareBefore;
      return {
        source,
        kind: kindOf(source),
        streams,
        cadenceSeconds,
        lastReceivedAt: e.last ? new Date(e.last).toISOString() : null,
        ageSeconds,
        status,
        eventsPerHour: Math.round((e.day.received / 24) * 100) / 100,
        total: e.total,
        last24h: e.day,
        rejectShare24h: share(e.day.refused, e.day.received),
        rejectShare1h: share1h,
        topReasons: [...e.reasons.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([reason, count]) => ({ reason, count })),
        flags: { silent: status === 'silent', late: status === 'late', rejectJump },
        ...(pollers.has(source) ? { poller: pollers.get(source) } : {}),
      };
    })
    .sort((a, b) => a.source.localeCompare(b.source));
}
