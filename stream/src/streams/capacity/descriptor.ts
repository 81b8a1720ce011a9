import { defineStream, requiredUpload } from '../descriptor.ts';
import { capacityEvent, capacityPayload } from './contract.ts';

const beds = { vi: 'giường', en: 'beds' };
const upload = requiredUpload;

/** Treatment capacity per facility and tier of the 3-tier COVID system: a gauge, hourly around the clock. */
export const capacity = defineStream({
  name: 'capacity',
  topic: 'ioc.capacity.v1',
  version: 1,
  payload: capacityPayload,
  event: capacityEvent,
  kind: 'gauge',
  label: { vi: 'Năng lực điều trị', en: 'Treatment capacity' },
  entity: {
    kind: 'facility',
    label: { vi: 'Cơ sở', en: 'Facility' },
    places: 'facilities',
    key: 'facility id',
    upload: { headers: ['Cơ sở', 'Mã cơ sở', 'Mã cơ sở y tế', 'facility', 'facilityId'], example: 'bv-ba-ria' },
  },
  fields: [
    { path: 'tier', column: 'tier', store: 'UInt8', read: (p) => p.tier, type: 'integer', dimension: true, label: { vi: 'Tầng', en: 'Tier' }, upload: upload('2', 'Tầng', 'Tầng điều trị') },
    { path: 'bedsTotal', column: 'beds_total', store: 'UInt32', read: (p) => p.bedsTotal, type: 'integer', unit: beds.en, label: { vi: 'Tổng số giường', en: 'Beds' }, upload: upload('200', 'Tổng số giường', 'Số giường') },
    { path: 'bedsOccupied', column: 'beds_occupied', store: 'UInt32', read: (p) => p.bedsOccupied, type: 'integer', unit: beds.en, label: { vi: 'Giường đang sử dụng', en: 'Beds occupied' }, upload: upload('120', 'Giường đang sử dụng', 'Số giường đang sử dụng') },
    { path: 'oxygenBedsTotal', column: 'oxygen_beds_total', store: 'UInt32', read: (p) => p.oxygenBedsTotal, type: 'integer', unit: beds.en, label: { vi: 'Giường oxy', en: 'Oxygen beds' }, upload: upload('80', 'Giường oxy', 'Tổng số giường oxy', 'Số giường oxy') },
    { path: 'oxygenBedsOccupied', column: 'oxygen_beds_occupied', store: 'UInt32', read: (p) => p.oxygenBedsOccupied, type: 'integer', unit: beds.en, label: { vi: 'Giường oxy đang sử dụng', en: 'Oxygen beds occupied' }, upload: upload('60', 'Giường oxy đang sử dụng') },
    { path: 'patientsBySupport.mask', column: 'o2_mask', store: 'UInt32', read: (p) => p.patientsBySupport.mask, type: 'integer', label: { vi: 'Thở oxy mask', en: 'Oxygen by mask' }, upload: upload('40', 'Thở oxy mask', 'Thở oxy qua mặt nạ/gọng kính', 'mask') },
    { path: 'patientsBySupport.hfnc', column: 'o2_hfnc', store: 'UInt32', read: (p) => p.patientsBySupport.hfnc, type: 'integer', label: { vi: 'Thở HFNC', en: 'High-flow nasal cannula' }, upload: upload('10', 'Thở HFNC', 'Oxy dòng cao (HFNC)', 'hfnc') },
    { path: 'patientsBySupport.niv', column: 'o2_niv', store: 'UInt32', read: (p) => p.patientsBySupport.niv, type: 'integer', label: { vi: 'Thở máy không xâm nhập', en: 'Non-invasive ventilation' }, upload: upload('5', 'Thở máy không xâm nhập', 'NIV', 'niv') },
    { path: 'patientsBySupport.invasive', column: 'o2_invasive', store: 'UInt32', read: (p) => p.patientsBySupport.invasive, type: 'integer', label: { vi: 'Thở máy xâm nhập', en: 'Invasive ventilation' }, upload: upload('4', 'Thở máy xâm nhập', 'invasive') },
    { path: 'patientsBySupport.ecmo', column: 'o2_ecmo', store: 'UInt32', read: (p) => p.patientsBySupport.ecmo, type: 'integer', label: { vi: 'ECMO', en: 'ECMO' }, upload: upload('1', 'ECMO', 'ecmo') },
    { path: 'icuBedsTotal', column: 'icu_beds_total', store: 'UInt32', read: (p) => p.icuBedsTotal, type: 'integer', unit: beds.en, label: { vi: 'Giường hồi sức', en: 'ICU beds' }, upload: upload('20', 'Giường hồi sức', 'Giường ICU', 'Tổng số giường hồi sức') },
    { path: 'icuBedsOccupied', column: 'icu_beds_occupied', store: 'UInt32', read: (p) => p.icuBedsOccupied, type: 'integer', unit: beds.en, label: { vi: 'Giường hồi sức đang sử dụng', en: 'ICU beds occupied' }, upload: upload('10', 'Giường hồi sức đang sử dụng', 'Giường ICU đang sử dụng') },
    { path: 'ventilatorsTotal', column: 'ventilators_total', store: 'UInt32', read: (p) => p.ventilatorsTotal, type: 'integer', label: { vi: 'Máy thở', en: 'Ventilators' }, upload: upload('15', 'Máy thở', 'Tổng số máy thở') },
    { path: 'ventilatorsInUse', column: 'ventilators_in_use', store: 'UInt32', read: (p) => p.ventilatorsInUse, type: 'integer', label: { vi: 'Máy thở đang sử dụng', en: 'Ventilators in use' }, upload: upload('5', 'Máy thở đang sử dụng') },
    { path: 'oxygenStockLitres', column: 'oxygen_stock_litres', store: 'Float64', read: (p) => p.oxygenStockLitres, type: 'number', unit: 'L', label: { vi: 'Oxy tồn kho (lít)', en: 'Oxygen on site (litres)' }, upload: upload('120.000', 'Oxy tồn kho (lít)', 'Oxy tồn kho', 'Lượng oxy (lít)') },
    { path: 'staffOnDuty', column: 'staff_on_duty', store: 'Nullable(UInt32)', read: (p) => p.staffOnDuty ?? null, type: 'integer', label: { vi: 'Nhân viên trực', en: 'Staff on duty' }, upload: { headers: ['Nhân viên trực', 'Số nhân viên trực'], example: '35', required: false } },
  ],
  ratios: [
    { name: 'oxygenOccupancy', numerator: 'oxygenBedsOccupied', denominator: 'oxygenBedsTotal', label: { vi: 'Giường oxy đang dùng', en: 'Oxygen beds in use' } },
    { name: 'icuOccupancy', numerator: 'icuBedsOccupied', denominator: 'icuBedsTotal', label: { vi: 'Giường hồi sức đang dùng', en: 'ICU beds in use' } },
  ],
  // the Vũng Tàu pack's cadence (pack.json): every hour, around the clock
  cadence: { cadenceMinutes: 60, hours: null },
  roles: ['admin', 'operator', 'health', 'evaluator'],
  channel: 'capacity',
  currentPath: '/capacity/facilities',
  kpis: [
    {
      id: 'capacity-oxygen-occupancy',
      unit: 'ratio',
      cumulative: false,
      description: 'occupied / total oxygen beds per treatment tier, from each facility’s last report in the bucket',
      sql: `SELECT b AS t, concat('tier-', toString(tier)) AS series, sum(oxygen_beds_occupied) / nullIf(sum(oxygen_beds_total), 0) AS value
      FROM {{last(capacity: oxygen_beds_occupied, oxygen_beds_total)}}
      GROUP BY t, series ORDER BY t, series`,
    },
  ],
  panel: { component: 'capacity', order: 10 },
});
