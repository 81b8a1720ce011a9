import type { ClickHouseClient } from '@clickhouse/client';
import { chTime, dataStreams, type DataStreamName } from '@haidang/stream';
import { defaultCadenceSeconds } from '../source-health/cadence.ts';
import { selectRows } from '../state/store-query.ts';
import type { ReportPeriod } from './report-data.ts';

/**
 * The IOC evaluated on its own figures for the period ("đánh giá kết quả hoạt động IOC"), from
 * what the system records: the raw reports (on time = received within the stream's cadence of
 * the time they describe), dead letters (refused reports and why), the hours each stream had
 * data (freshness: the longest gap without a report) and the alert episodes (raised,
 * acknowledged, how fast).
 */
interface StreamTimeliness {
  stream: DataStreamName;
  reports: number;
  sources: number;
  cadenceSeconds: number;
  onTime: number;
  /** median of received − observed, seconds (null without reports) */
  medianDelaySeconds: number | null;
  /** the longest stretch in the period without a report received, hours (the whole period when none) */
  longestGapHours: number;
  lastReceivedAt: string | null;
}

interface Rejections {
  stream: string;
  reason: string;
  count: number;
}

interface AlertFigures {
  rule: string;
  severity: string;
  raised: number;
  acknowledged: number;
  resolved: number;
  medianAckSeconds: number | null;
  p90AckSeconds: number | null;
}

export interface SystemFigures {
  streams: StreamTimeliness[];
  rejections: Rejections[];
  /** refused / (stored + refused) over the period */
  rejectedShare: number | null;
  alerts: AlertFigures[];
}

const num = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v));
const iso = (s: string | null) => (s && !s.startsWith('1970') ? `${s.replace(' ', 'T')}Z` : null);

export async function systemFigures(store: ClickHouseClient, period: ReportPeriod): Promise<SystemFigures> {
  const params = { from: chTime(period.from), to: chTime(period.to) };
  const inPeriod = (col: string) => `${col} >= {from:DateTime64(3, 'UTC')} AND ${col} < {to:DateTime64(3, 'UTC')}`;
  const periodHours = (period.to.getTime() - period.from.getTime()) / 3_600_000;
  const streams = await Promise.all(
    dataStreams.map(async (stream): Promise<StreamTimeliness> => {
      const cadence = defaultCadenceSeconds[stream];
      const [r] = await selectRows<{ n: string; sources: string; on_time: string; median: number | null; hours: number[]; last: string }>(
        store,
        `SELECT count() AS n, uniqExact(source) AS sources, countIf(dateDiff('second', observed_at, received_at) <= {cadence:UInt32}) AS on_time,
           if(count() = 0, NULL, quantileExact(0.5)(dateDiff('second', observed_at, received_at))) AS median,
           arraySort(groupUniqArray(toUInt32(intDiv(toUnixTimestamp(received_at) - toUnixTimestamp({from:DateTime64(3, 'UTC')}), 3600)))) AS hours,
           toString(max(received_at)) AS last
         FROM ${stream}_raw WHERE ${inPeriod('received_at')}`,
        { ...params, cadence },
      );
      const hours = r?.hours ?? [];
      // gaps between hours with data, and from the period's start and to its end
      const marks = [-1, ...hours.map(Number), Math.ceil(periodHours)];
      let gap = 0;
      for (let i = 1; i < marks.length; i++) gap = Math.max(gap, marks[i]! - marks[i - 1]! - 1);
      return { stream, reports: Number(r?.n ?? 0), sources: Number(r?.sources ?? 0), cadenceSeconds: cadence, onTime: Number(r?.on_time ?? 0), medianDelaySeconds: num(r?.median), longestGapHours: Math.min(gap, Math.ceil(periodHours)), lastReceivedAt: Number(r?.n ?? 0) ? iso(r!.last) : null };
    }),
  );
  const dead = await selectRows<{ topic: string; reason: string; n: string }>(store, `SELECT topic, reason, count() AS n FROM deadletter WHERE ${inPeriod('dead_at')} GROUP BY topic, reason ORDER BY n DESC, topic, reason`, params);
  const rejections = dead.map((r) => ({ stream: dataStreams.find((s) => r.topic.includes(s)) ?? r.topic, reason: r.reason, count: Number(r.n) }));
  const refused = rejections.reduce((a, r) => a + r.count, 0);
  const stored = streams.reduce((a, s) => a + s.reports, 0);
  const alertRows = await selectRows<{ rule_id: string; severity: string; raised: string; acked: string; resolved: string; median: number | null; p90: number | null }>(
    store,
    `SELECT rule_id, severity, count() AS raised, countIf(acknowledged_at IS NOT NULL) AS acked, countIf(resolved_at IS NOT NULL) AS resolved,
       quantileExactIf(0.5)(dateDiff('second', started_at, assumeNotNull(acknowledged_at)), acknowledged_at IS NOT NULL) AS median,
       quantileExactIf(0.9)(dateDiff('second', started_at, assumeNotNull(acknowledged_at)), acknowledged_at IS NOT NULL) AS p90
     FROM api_alerts FINAL WHERE ${inPeriod('started_at')} GROUP BY rule_id, severity ORDER BY raised DESC, rule_id`,
    params,
  );
  const alerts = alertRows.map((a) => ({ rule: a.rule_id, severity: a.severity, raised: Number(a.raised), acknowledged: Number(a.acked), resolved: Number(a.resolved), medianAckSeconds: Number(a.acked) ? num(a.median) : null, p90AckSeconds: Number(a.acked) ? num(a.p90) : null }));
  return { streams, rejections, rejectedShare: stored + refused ? refused / (stored + refused) : null, alerts };
}
