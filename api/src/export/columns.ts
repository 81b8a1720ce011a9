import { allDescriptors, type DataStreamName, type StreamDescriptor } from '@haidang/stream';

/** what a column holds, which decides its spreadsheet cell type and its CSV text */
type ColumnKind = 'instant' | 'date' | 'integer' | 'number' | 'ratio' | 'money' | 'text' | 'boolean' | 'met';

export interface Label {
  vi: string;
  en: string;
}

export interface ExportColumn {
  /** the machine name: the RFC 4180 header and the row's key */
  key: string;
  name: Label;
  /** shown in brackets after the name: giường, đồng, % … */
  unit?: Label;
  kind: ColumnKind;
}

const c = (key: string, vi: string, en: string, kind: ColumnKind, unit?: [string, string]): ExportColumn => ({ key, name: { vi, en }, kind, ...(unit ? { unit: { vi: unit[0], en: unit[1] } } : {}) });
const beds: [string, string] = ['giường', 'beds'];
const people: [string, string] = ['người', 'people'];
const files: [string, string] = ['hồ sơ', 'dossiers'];

/** the envelope of every report; log positions are the transport's business and not exported */
export const envelopeExportColumns: ExportColumn[] = [
  c('observed_at', 'Thời điểm số liệu', 'Observed at', 'instant'),
  c('entity', 'Mã đơn vị báo cáo', 'Reporting unit id', 'text'),
  c('entity_name', 'Tên đơn vị báo cáo', 'Reporting unit', 'text'),
  c('source', 'Nguồn gửi', 'Source', 'text'),
  c('received_at', 'Thời điểm nhận', 'Received at', 'instant'),
  c('id', 'Mã bản ghi', 'Record id', 'text'),
  c('version', 'Phiên bản', 'Version', 'integer'),
];

/** a stream's payload columns from its descriptor (name and unit from its labels): for a stream without its own list below */
function descriptorColumns(d: StreamDescriptor): ExportColumn[] {
  return d.fields.map((f) => {
    const money = f.unit === 'VND';
    const kind: ColumnKind = f.type === 'boolean' ? 'boolean' : f.type === 'integer' ? (money ? 'money' : 'integer') : f.type === 'number' ? 'number' : 'text';
    const unit = money ? { vi: 'đồng', en: 'VND' } : f.unit ? { vi: f.unit, en: f.unit } : undefined;
    // the descriptor's labels may carry the unit already ("Kế hoạch vốn năm (đồng)"): keep the name alone
    const bare = (t: string) => t.replace(/\s*\([^)]*\)\s*$/, '');
    return { key: f.column, name: { vi: bare(f.label.vi), en: bare(f.label.en) }, kind, ...(unit ? { unit } : {}) };
  });
}

/** each stream's payload columns, in the store's order (the descriptor's fields); the first four in their own wording */
export const streamExportColumns: Record<DataStreamName, ExportColumn[]> = {
  ...(Object.fromEntries(allDescriptors.map((d) => [d.name, descriptorColumns(d)])) as Record<DataStreamName, ExportColumn[]>),
  capacity: [
    c('tier', 'Tầng điều trị', 'Treatment tier', 'integer'),
    c('beds_total', 'Tổng số giường', 'Beds', 'integer', beds),
    c('beds_occupied', 'Giường có người bệnh', 'Beds occupied', 'integer', beds),
    c('oxygen_beds_total', 'Giường có oxy', 'Oxygen beds', 'integer', beds),
    c('oxygen_beds_occupied', 'Giường oxy có người bệnh', 'Oxygen beds occupied', 'integer', beds),
    c('o2_mask', 'Thở oxy qua mặt nạ', 'On mask oxygen', 'integer', people),
    c('o2_hfnc', 'Thở oxy dòng cao (HFNC)', 'On high-flow oxygen (HFNC)', 'integer', people),
    c('o2_niv', 'Thở máy không xâm nhập', 'On non-invasive ventilation', 'integer', people),
    c('o2_invasive', 'Thở máy xâm nhập', 'On invasive ventilation', 'integer', people),
    c('o2_ecmo', 'ECMO', 'On ECMO', 'integer', people),
    c('icu_beds_total', 'Giường hồi sức tích cực', 'ICU beds', 'integer', beds),
    c('icu_beds_occupied', 'Giường hồi sức có người bệnh', 'ICU beds occupied', 'integer', beds),
    c('ventilators_total', 'Máy thở', 'Ventilators', 'integer', ['máy', 'units']),
    c('ventilators_in_use', 'Máy thở đang dùng', 'Ventilators in use', 'integer', ['máy', 'units']),
    c('oxygen_stock_litres', 'Oxy tồn kho', 'Oxygen in stock', 'number', ['lít', 'litres']),
    c('staff_on_duty', 'Nhân viên trực', 'Staff on duty', 'integer', people),
  ],
  vaccination: [
    c('dose_number', 'Mũi tiêm', 'Dose', 'integer'),
    c('vaccine', 'Vắc-xin', 'Vaccine', 'text'),
    c('age_group', 'Nhóm tuổi', 'Age group', 'text'),
    c('doses', 'Số mũi đã tiêm', 'Doses given', 'integer', ['mũi', 'doses']),
    c('pushed_to_niis', 'Đã cập nhật lên Hệ thống thông tin tiêm chủng quốc gia', 'Pushed to the national immunisation system', 'boolean'),
  ],
  prices: [
    c('commodity', 'Mặt hàng', 'Commodity', 'text'),
    c('unit', 'Đơn vị tính', 'Unit', 'text'),
    c('price_vnd', 'Giá', 'Price', 'money', ['đồng', 'VND']),
    c('shortage', 'Thiếu hàng', 'Shortage', 'boolean'),
  ],
  dossiers: [
    c('procedure', 'Thủ tục hành chính', 'Procedure', 'text'),
    c('received', 'Hồ sơ tiếp nhận', 'Dossiers received', 'integer', files),
    c('received_online', 'Tiếp nhận trực tuyến', 'Received online', 'integer', files),
    c('resolved', 'Đã giải quyết', 'Resolved', 'integer', files),
    c('resolved_on_time', 'Giải quyết đúng hạn', 'Resolved on time', 'integer', files),
    c('resolved_late', 'Giải quyết trễ hạn', 'Resolved late', 'integer', files),
    c('paid_online', 'Thanh toán trực tuyến', 'Paid online', 'integer', files),
  ],
};

export const streamLabel: Record<DataStreamName, Label> = {
  ...(Object.fromEntries(allDescriptors.map((d) => [d.name, d.label])) as Record<DataStreamName, Label>),
  capacity: { vi: 'Công suất giường điều trị COVID-19', en: 'COVID-19 treatment capacity' },
  vaccination: { vi: 'Tiêm chủng vắc-xin COVID-19', en: 'COVID-19 vaccination' },
  prices: { vi: 'Giá hàng hóa thiết yếu', en: 'Essential-goods prices' },
  dossiers: { vi: 'Hồ sơ thủ tục hành chính', en: 'Administrative dossiers' },
};

/** the header a person reads: name and unit in the user's language */
export const headerOf = (col: ExportColumn, lang: 'vi' | 'en', percentUnit = false): string => {
  const unit = col.kind === 'ratio' && percentUnit ? '%' : col.unit?.[lang];
  return unit ? `${col.name[lang]} (${unit})` : col.name[lang];
};
