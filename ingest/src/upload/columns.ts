import type { DataStreamName } from '@haidang/stream';

/**
 * The columns of each stream's report, as departments write them: the first header is the
 * Vietnamese one the templates use; the others (and the English field names) are accepted
 * too. `field` is where the value goes in the event (`payload.*` or an envelope field).
 */
export type CellKind = 'entity' | 'date' | 'integer' | 'number' | 'text' | 'boolean';

export interface ColumnSpec {
  field: string;
  headers: readonly string[];
  kind: CellKind;
  required: boolean;
  example: string;
}

const col = (field: string, kind: CellKind, required: boolean, example: string, ...headers: string[]): ColumnSpec => ({ field, headers, kind, required, example });

const observed = col('observedAt', 'date', true, '15/08/2022 07:00', 'Ngày báo cáo', 'Thời điểm', 'Ngày');
const id = col('id', 'text', false, '', 'Mã báo cáo');

export const streamColumns: Record<DataStreamName, readonly ColumnSpec[]> = {
  capacity: [
    col('entity', 'entity', true, 'bv-ba-ria', 'Cơ sở', 'Mã cơ sở', 'Mã cơ sở y tế', 'facility', 'facilityId'),
    observed,
    col('payload.tier', 'integer', true, '2', 'Tầng', 'Tầng điều trị'),
    col('payload.bedsTotal', 'integer', true, '200', 'Tổng số giường', 'Số giường'),
    col('payload.bedsOccupied', 'integer', true, '120', 'Giường đang sử dụng', 'Số giường đang sử dụng'),
    col('payload.oxygenBedsTotal', 'integer', true, '80', 'Giường oxy', 'Tổng số giường oxy', 'Số giường oxy'),
    col('payload.oxygenBedsOccupied', 'integer', true, '60', 'Giường oxy đang sử dụng'),
    col('payload.patientsBySupport.mask', 'integer', true, '40', 'Thở oxy mask', 'Thở oxy qua mặt nạ/gọng kính', 'mask'),
    col('payload.patientsBySupport.hfnc', 'integer', true, '10', 'Thở HFNC', 'Oxy dòng cao (HFNC)', 'hfnc'),
    col('payload.patientsBySupport.niv', 'integer', true, '5', 'Thở máy không xâm nhập', 'NIV', 'niv'),
    col('payload.patientsBySupport.invasive', 'integer', true, '4', 'Thở máy xâm nhập', 'invasive'),
    col('payload.patientsBySupport.ecmo', 'integer', true, '1', 'ECMO', 'ecmo'),
    col('payload.icuBedsTotal', 'integer', true, '20', 'Giường hồi sức', 'Giường ICU', 'Tổng số giường hồi sức'),
    col('payload.icuBedsOccupied', 'integer', true, '10', 'Giường hồi sức đang sử dụng', 'Giường ICU đang sử dụng'),
    col('payload.ventilatorsTotal', 'integer', true, '15', 'Máy thở', 'Tổng số máy thở'),
    col('payload.ventilatorsInUse', 'integer', true, '5', 'Máy thở đang sử dụng'),
    col('payload.oxygenStockLitres', 'number', true, '120.000', 'Oxy tồn kho (lít)', 'Oxy tồn kho', 'Lượng oxy (lít)'),
    col('payload.staffOnDuty', 'integer', false, '35', 'Nhân viên trực', 'Số nhân viên trực'),
    id,
  ],
  vaccination: [
    col('entity', 'entity', true, '26506', 'Phường', 'Mã phường', 'Phường/xã', 'Mã phường/xã', 'ward', 'wardCode'),
    observed,
    col('payload.doseNumber', 'integer', true, '3', 'Mũi', 'Mũi tiêm', 'Mũi thứ'),
    col('payload.vaccine', 'text', true, 'Pfizer', 'Vắc xin', 'Loại vắc xin', 'Vaccine'),
    col('payload.ageGroup', 'text', true, '18-49', 'Nhóm tuổi', 'Độ tuổi'),
    col('payload.doses', 'integer', true, '1.250', 'Số liều', 'Số mũi đã tiêm', 'Số liều đã tiêm'),
    col('payload.pushedToNiis', 'boolean', false, 'có', 'Đã đẩy lên hệ thống tiêm chủng', 'Đã đồng bộ', 'niis'),
    id,
  ],
  prices: [
    col('entity', 'entity', true, 'cho-vung-tau', 'Chợ', 'Mã chợ', 'market', 'marketId'),
    observed,
    col('payload.commodity', 'text', true, 'pork', 'Mặt hàng', 'Mã mặt hàng'),
    col('payload.unit', 'text', false, 'kg', 'Đơn vị', 'Đơn vị tính', 'ĐVT'),
    col('payload.priceVnd', 'integer', true, '95.000', 'Giá (đồng)', 'Giá', 'Giá bán', 'Giá (VNĐ)', 'Giá (đ)', 'price'),
    col('payload.shortage', 'boolean', false, 'không', 'Thiếu hàng', 'Khan hiếm'),
    id,
  ],
  dossiers: [
    col('entity', 'entity', true, 'mot-cua-tp', 'Cơ quan', 'Mã cơ quan', 'Đơn vị tiếp nhận', 'agency', 'agencyId'),
    observed,
    col('payload.procedure', 'text', false, '', 'Thủ tục', 'Mã thủ tục'),
    col('payload.received', 'integer', true, '120', 'Số hồ sơ tiếp nhận', 'Tiếp nhận', 'Hồ sơ tiếp nhận'),
    col('payload.receivedOnline', 'integer', true, '66', 'Trực tuyến', 'Tiếp nhận trực tuyến', 'Số hồ sơ trực tuyến'),
    col('payload.resolved', 'integer', true, '100', 'Đã giải quyết', 'Số hồ sơ đã giải quyết'),
    col('payload.resolvedOnTime', 'integer', true, '95', 'Đúng hạn', 'Giải quyết đúng hạn'),
    col('payload.resolvedLate', 'integer', true, '5', 'Trễ hạn', 'Quá hạn', 'Giải quyết trễ hạn'),
    col('payload.paidOnline', 'integer', true, '40', 'Thanh toán trực tuyến', 'Số hồ sơ thanh toán trực tuyến'),
    id,
  ],
};

/** lower case, one space, Unicode NFC; a second form without diacritics forgives "Tang" for "Tầng" */
export function headerKey(h: string): string {
  return h.normalize('NFC').replace(/^\ufeff/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}
export function bareHeaderKey(h: string): string {
  return headerKey(h).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');
}

export interface HeaderMatch {
  /** column index → spec */
  byIndex: Map<number, ColumnSpec>;
  /** spec field → the header as written in the file */
  headerOf: Map<string, string>;
  ignored: string[];
  missing: string[];
  duplicated: string[];
}

/** matches a file's header row to a stream's columns: Vietnamese, without diacritics, or the English field name */
export function matchHeaders(stream: DataStreamName, header: readonly string[]): HeaderMatch {
  const specs = streamColumns[stream];
  const exact = new Map<string, ColumnSpec>();
  const bare = new Map<string, ColumnSpec>();
  for (const s of specs) {
    const names = [...s.headers, s.field, s.field.split('.').pop()!];
    for (const n of names) {
      exact.set(headerKey(n), s);
      if (!bare.has(bareHeaderKey(n))) bare.set(bareHeaderKey(n), s);
    }
  }
  const m: HeaderMatch = { byIndex: new Map(), headerOf: new Map(), ignored: [], missing: [], duplicated: [] };
  header.forEach((h, i) => {
    const spec = exact.get(headerKey(h)) ?? bare.get(bareHeaderKey(h));
    if (!spec) {
      if (headerKey(h)) m.ignored.push(h);
      return;
    }
    if (m.headerOf.has(spec.field)) {
      m.duplicated.push(h);
      return;
    }
    m.byIndex.set(i, spec);
    m.headerOf.set(spec.field, h.replace(/^\ufeff/, '').trim());
  });
  for (const s of specs) if (s.required && !m.headerOf.has(s.field)) m.missing.push(s.headers[0]!);
  return m;
}
