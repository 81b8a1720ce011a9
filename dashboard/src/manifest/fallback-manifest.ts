import type { Manifest, ManifestField } from '@haidang/stream/manifest';

/**
 * The four streams an api from before GET /api/v1/manifest serves, in the manifest's own
 * shape, used only when that route answers 404. Transitional: it goes once every api serves
 * the manifest (the descriptor work of issue 16); nothing else in the dashboard lists streams.
 */
const all = ['admin', 'operator', 'health', 'evaluator'];
const desk = ['admin', 'operator', 'evaluator'];
const field = (name: string, type: ManifestField['type'], vi: string, en: string, o: { unit?: string; summed?: boolean; dimension?: boolean } = {}): ManifestField => ({
  name, type, label: { vi, en }, ...(o.unit ? { unit: o.unit } : {}), summed: o.summed ?? false, dimension: o.dimension ?? false,
});

export const fallbackManifest: Manifest = {
  streams: [
    {
      name: 'capacity', label: { vi: 'Năng lực điều trị', en: 'Treatment capacity' }, kind: 'gauge',
      entity: { kind: 'facility', label: { vi: 'Cơ sở', en: 'Facility' } },
      fields: [
        field('tier', 'integer', 'Tầng', 'Tier', { dimension: true }),
        field('bedsTotal', 'integer', 'Giường', 'Beds', { unit: 'beds' }),
        field('bedsOccupied', 'integer', 'Giường đang dùng', 'Beds occupied', { unit: 'beds' }),
        field('oxygenBedsTotal', 'integer', 'Giường oxy', 'Oxygen beds', { unit: 'beds' }),
        field('oxygenBedsOccupied', 'integer', 'Giường oxy đang dùng', 'Oxygen beds occupied', { unit: 'beds' }),
        field('icuBedsTotal', 'integer', 'Giường ICU', 'ICU beds', { unit: 'beds' }),
        field('icuBedsOccupied', 'integer', 'Giường ICU đang dùng', 'ICU beds occupied', { unit: 'beds' }),
        field('ventilatorsTotal', 'integer', 'Máy thở', 'Ventilators'),
        field('ventilatorsInUse', 'integer', 'Máy thở đang dùng', 'Ventilators in use'),
        field('oxygenStockLitres', 'number', 'Oxy tồn kho', 'Oxygen on site', { unit: 'L' }),
      ],
      ratios: [{ name: 'oxygenOccupancy', numerator: 'oxygenBedsOccupied', denominator: 'oxygenBedsTotal', label: { vi: 'Giường oxy đang dùng', en: 'Oxygen beds in use' } }],
      cadence: { minutes: 60, reportingHours: null },
      channel: 'capacity', currentPath: '/capacity/facilities', roles: all, kpis: [], panel: { component: 'capacity', order: 10 },
    },
    {
      name: 'vaccination', label: { vi: 'Tiêm chủng', en: 'Vaccination' }, kind: 'counter',
      entity: { kind: 'ward', label: { vi: 'Phường', en: 'Ward' } },
      fields: [
        field('doseNumber', 'integer', 'Mũi', 'Dose', { dimension: true }),
        field('vaccine', 'string', 'Vắc xin', 'Vaccine', { dimension: true }),
        field('ageGroup', 'enum', 'Nhóm tuổi', 'Age group', { dimension: true }),
        field('doses', 'integer', 'Số mũi', 'Doses', { summed: true }),
        field('pushedToNiis', 'boolean', 'Đã đẩy lên hệ thống quốc gia', 'Pushed to NIIS'),
      ],
      ratios: [],
      cadence: { minutes: 120, reportingHours: { from: '07:30', to: '17:00' } },
      channel: 'vaccination', currentPath: '/vaccination/wards', roles: all, kpis: [], panel: { component: 'vaccination', order: 20 },
    },
    {
      name: 'prices', label: { vi: 'Giá cả', en: 'Prices' }, kind: 'gauge',
      entity: { kind: 'market', label: { vi: 'Chợ', en: 'Market' } },
      fields: [
        field('commodity', 'string', 'Mặt hàng', 'Commodity', { dimension: true }),
        field('unit', 'string', 'Đơn vị', 'Unit'),
        field('priceVnd', 'integer', 'Giá', 'Price', { unit: 'VND' }),
        field('shortage', 'boolean', 'Thiếu hàng', 'Shortage'),
      ],
      ratios: [],
      cadence: { minutes: 480, reportingHours: { from: '06:00', to: '16:00' } },
      channel: 'prices', currentPath: '/prices/markets', roles: desk, kpis: [], panel: { component: 'prices', order: 30 },
    },
    {
      name: 'dossiers', label: { vi: 'Hồ sơ', en: 'Dossiers' }, kind: 'counter',
      entity: { kind: 'agency', label: { vi: 'Cơ quan', en: 'Agency' } },
      fields: [
        field('received', 'integer', 'Tiếp nhận', 'Received', { summed: true }),
        field('receivedOnline', 'integer', 'Tiếp nhận trực tuyến', 'Received online', { summed: true }),
        field('resolved', 'integer', 'Đã giải quyết', 'Resolved', { summed: true }),
        field('resolvedOnTime', 'integer', 'Đúng hạn', 'On time', { summed: true }),
        field('resolvedLate', 'integer', 'Trễ hạn', 'Late', { summed: true }),
        field('paidOnline', 'integer', 'Thanh toán trực tuyến', 'Paid online', { summed: true }),
      ],
      ratios: [
        { name: 'onlineShare', numerator: 'receivedOnline', denominator: 'received', label: { vi: 'Trực tuyến', en: 'Online' } },
        { name: 'onTimeRate', numerator: 'resolvedOnTime', denominator: 'resolved', label: { vi: 'Đúng hạn', en: 'On time' } },
      ],
      cadence: { minutes: 120, reportingHours: { from: '07:00', to: '17:30' } },
      channel: 'dossiers', currentPath: '/dossiers/agencies', roles: desk, kpis: [], panel: { component: 'dossiers', order: 40 },
    },
  ],
};
