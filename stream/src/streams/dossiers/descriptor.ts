import { defineStream, requiredUpload } from '../descriptor.ts';
import { kpiRange } from '../kpi-sql.ts';
import { dossierEvent, dossierPayload } from './contract.ts';

/** share of two sums over the corrected dossier reports */
const dossierShare = (part: string, whole: string) =>
  `SELECT {{bucket(observed_at)}} AS t, '' AS series, sum(${part}) / nullIf(sum(${whole}), 0) AS value
   FROM dossiers_asof FINAL WHERE ${kpiRange('observed_at')} GROUP BY t ORDER BY t`;

const upload = requiredUpload;

/** Administrative-procedure dossiers per agency (and procedure): a counter, in office hours. */
export const dossiers = defineStream({
  name: 'dossiers',
  topic: 'ioc.dossiers.v1',
  version: 1,
  payload: dossierPayload,
  event: dossierEvent,
  kind: 'counter',
  label: { vi: 'Hồ sơ', en: 'Dossiers' },
  entity: {
    kind: 'agency',
    label: { vi: 'Cơ quan', en: 'Agency' },
    places: 'agencies',
    key: 'agency id',
    upload: { headers: ['Cơ quan', 'Mã cơ quan', 'Đơn vị tiếp nhận', 'agency', 'agencyId'], example: 'mot-cua-tp' },
  },
  fields: [
    { path: 'procedure', column: 'procedure', store: 'LowCardinality(String)', read: (p) => p.procedure ?? '', type: 'string', dimension: true, label: { vi: 'Thủ tục', en: 'Procedure' }, upload: { headers: ['Thủ tục', 'Mã thủ tục'], example: '', required: false } },
    { path: 'received', column: 'received', store: 'UInt32', read: (p) => p.received, type: 'integer', label: { vi: 'Số hồ sơ tiếp nhận', en: 'Received' }, upload: upload('120', 'Số hồ sơ tiếp nhận', 'Tiếp nhận', 'Hồ sơ tiếp nhận') },
    { path: 'receivedOnline', column: 'received_online', store: 'UInt32', read: (p) => p.receivedOnline, type: 'integer', label: { vi: 'Tiếp nhận trực tuyến', en: 'Received online' }, upload: upload('66', 'Trực tuyến', 'Tiếp nhận trực tuyến', 'Số hồ sơ trực tuyến') },
    { path: 'resolved', column: 'resolved', store: 'UInt32', read: (p) => p.resolved, type: 'integer', label: { vi: 'Đã giải quyết', en: 'Resolved' }, upload: upload('100', 'Đã giải quyết', 'Số hồ sơ đã giải quyết') },
    { path: 'resolvedOnTime', column: 'resolved_on_time', store: 'UInt32', read: (p) => p.resolvedOnTime, type: 'integer', label: { vi: 'Đúng hạn', en: 'Resolved on time' }, upload: upload('95', 'Đúng hạn', 'Giải quyết đúng hạn') },
    { path: 'resolvedLate', column: 'resolved_late', store: 'UInt32', read: (p) => p.resolvedLate, type: 'integer', label: { vi: 'Trễ hạn', en: 'Resolved late' }, upload: upload('5', 'Trễ hạn', 'Quá hạn', 'Giải quyết trễ hạn') },
    { path: 'paidOnline', column: 'paid_online', store: 'UInt32', read: (p) => p.paidOnline, type: 'integer', label: { vi: 'Thanh toán trực tuyến', en: 'Paid online' }, upload: upload('40', 'Thanh toán trực tuyến', 'Số hồ sơ thanh toán trực tuyến') },
  ],
  ratios: [
    { name: 'onlineShare', numerator: 'receivedOnline', denominator: 'received', label: { vi: 'Tỉ lệ trực tuyến', en: 'Online share' } },
    { name: 'onTimeRate', numerator: 'resolvedOnTime', denominator: 'resolved', label: { vi: 'Tỉ lệ đúng hạn', en: 'On-time rate' } },
  ],
  // one-stop shops report in office hours, Monday to Friday
  cadence: { cadenceMinutes: 120, hours: { from: '07:00', to: '17:30' }, weekdays: [1, 2, 3, 4, 5] },
  roles: ['admin', 'operator', 'evaluator'],
  channel: 'dossiers',
  currentPath: '/dossiers/agencies',
  kpis: [
    { id: 'dossiers-online-share', unit: 'ratio', cumulative: false, description: 'dossiers received online / all dossiers received', sql: dossierShare('received_online', 'received') },
    { id: 'dossiers-on-time-rate', unit: 'ratio', cumulative: false, description: 'resolved on time / resolved', sql: dossierShare('resolved_on_time', 'resolved') },
  ],
  panel: { component: 'dossiers', order: 40 },
});
