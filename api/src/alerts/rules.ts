import { allDescriptors } from '@haidang/stream';
/** how urgent an alert is */
const severities = ['info', 'warning', 'critical'] as const;

/**
 * Alert rules as data. `metric` names how a value is read from a stored event (see
 * metrics.ts); a rule compares it with a threshold and fires when the breach has lasted
 * `forSeconds` of observed time. One episode per (rule, entity, series) at a time: it fires
 * once, stays open while the breach lasts, resolves when it ends.
 */
export interface AlertRule {
  id: string;
  /** `stream:<name>`: a rule a stream's descriptor declares (its `alerts`), read by the descriptor's `read` */
  metric: 'oxygen-occupancy' | 'price-vs-median-7d' | 'online-share' | 'oxygen-hours-to-full' | 'source-silent' | 'source-reject-jump' | `stream:${string}`;
  /** only events matching these payload values count (e.g. tier 2) */
  where?: { tier?: 1 | 2 | 3 };
  op: '>=' | '<';
  threshold: number;
  forSeconds: number;
  severity: (typeof severities)[number];
  message: { vi: string; en: string };
}

const builtInRules: AlertRule[] = [
  {
    id: 'tier2-oxygen-85',
    metric: 'oxygen-occupancy',
    where: { tier: 2 },
    op: '>=',
    threshold: 0.85,
    forSeconds: 30 * 60,
    severity: 'critical',
    message: { vi: 'Giường oxy tầng 2 sử dụng ≥ 85% trong 30 phút', en: 'Tier-2 oxygen beds ≥ 85% occupied for 30 minutes' },
  },
  {
    // the forecast (api/src/forecast): city-wide tier-2 oxygen beds projected full in under 24 h, for two hourly readings running
    id: 'tier2-oxygen-full-24h',
    metric: 'oxygen-hours-to-full',
    where: { tier: 2 },
    op: '<',
    threshold: 24,
    forSeconds: 3600,
    severity: 'critical',
    message: { vi: 'Dự báo giường oxy tầng 2 sẽ đầy trong 24 giờ tới', en: 'Tier-2 oxygen beds forecast to be full within 24 h' },
  },
  {
    id: 'price-10-above-median',
    metric: 'price-vs-median-7d',
    op: '>=',
    threshold: 0.1,
    forSeconds: 0,
    severity: 'warning',
    message: { vi: 'Giá cao hơn trung vị 7 ngày ≥ 10%', en: 'Price ≥ 10% above its 7-day median' },
  },
  {
    id: 'online-share-below-50',
    metric: 'online-share',
    op: '<',
    threshold: 0.5,
    forSeconds: 24 * 3600,
    severity: 'info',
    message: { vi: 'Tỷ lệ hồ sơ trực tuyến dưới 50% trong 1 ngày', en: 'Online dossier share below 50% for a day' },
  },
  {
    // judged by a timer (source-watch.ts), not on stored events: silence is the absence of events
    id: 'source-silent',
    metric: 'source-silent',
    op: '>=',
    threshold: 1,
    forSeconds: 0,
    severity: 'warning',
    message: { vi: 'Nguồn dữ liệu im lặng quá 2 chu kỳ báo cáo', en: 'A data source has been silent for over 2 reporting cycles' },
  },
  {
    id: 'source-reject-jump',
    metric: 'source-reject-jump',
    op: '>=',
    threshold: 1,
    forSeconds: 0,
    severity: 'warning',
    message: { vi: 'Tỷ lệ bản ghi bị từ chối của nguồn tăng đột biến', en: "A source's share of refused records jumped" },
  },
];

/** the rules the streams' descriptors declare, judged on their stored reports */
const streamAlertRules: AlertRule[] = allDescriptors.flatMap((d) =>
  (d.alerts ?? []).map((a) => ({ id: a.id, metric: `stream:${d.name}` as const, op: a.op, threshold: a.threshold, forSeconds: a.forSeconds, severity: a.severity, message: a.message })),
);

export const defaultAlertRules: AlertRule[] = [...builtInRules, ...streamAlertRules];
