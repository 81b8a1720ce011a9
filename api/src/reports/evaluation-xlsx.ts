import writeXlsxFile from 'write-excel-file/node';
import type { KpiDefinition } from '../kpi/definitions.ts';
import { judge } from '../kpi/engine.ts';
import type { ReportContent } from './report-content.ts';
import { xlsxFormat, type ReportCell, type ReportColumn } from './stream-tables.ts';
import { localWallClock, viDate, viDirection, viLastDay, viMet, viSeries, viStream, viTargetOrigin, viTrend } from './vi-format.ts';

/** Excel number formats; Excel shows the separators of the reader's locale (vi-VN: 1.234,5) */
const numberFormat = (unit: KpiDefinition['unit']) => (unit === 'ratio' ? '0.0%' : '#,##0');
const bold = (value: string) => ({ value, type: String, fontWeight: 'bold' as const });
const text = (value: string) => ({ value, type: String });
const num = (value: number | null, format = '#,##0') => (value === null ? null : { value, type: Number, format });
const kpiNum = (value: number | null, unit: KpiDefinition['unit']) => num(value, numberFormat(unit));

export const summaryHeader = ['Mã chỉ tiêu', 'Chỉ tiêu', 'Phạm vi', 'Đơn vị', 'Thực tế', 'Mục tiêu', 'Yêu cầu', 'Kết quả', 'Xu hướng', 'Nguồn mục tiêu', 'Số dư đầu kỳ (mũi, trước vận hành)', 'Dân số đối tượng (người)'];
const seriesHeader = ['Kỳ (bắt đầu)', 'Phạm vi', 'Giá trị', 'Mục tiêu', 'Kết quả'];
/** rows above the summary table's header: title, city, period, sources, as of, a blank line */
export const summaryTitleRows = 6;
export const coverageSheet = 'Số liệu còn thiếu';
export const systemSheet = 'Hoạt động IOC';

/** a stream table's cell: numbers as numbers in the column's format (đồng in millions, as the label says), flags as Có/Không */
const tableCell = (format: ReportColumn['format'], v: ReportCell) => {
  if (v === null) return null;
  if (format === 'yesNo') return text(v ? 'Có' : 'Không');
  if (format === 'text') return text(String(v));
  return num(format === 'vnd' ? Number(v) / 1_000_000 : Number(v), format === 'vnd' ? '#,##0.0' : xlsxFormat[format]!);
};

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ] */
const sheetName = (i: number, id: string) => `${i + 1}. ${id}`.replace(/[:\\/?*[\]]/g, '-').slice(0, 31);

/**
 * The evaluation workbook: "Tổng hợp" (a header block — what, where, when, from which sources, as
 * of when — then every KPI's actual, target, met or not, trend, opening balance and cohort), one
 * sheet per KPI with its series, the missing data by stream and day, and the IOC's own figures.
 * write-excel-file, as the exports use. Built in memory (a zip is written whole).
 */
export async function evaluationXlsx(r: ReportContent): Promise<Buffer> {
  const { period, tz } = r;
  const when = (d: Date) => ({ value: localWallClock(d, tz), type: Date, format: 'dd/mm/yyyy hh:mm' });
  const streamsUsed = [...new Set(r.sections.map((s) => s.def.stream))].map((s) => viStream[s]).join('; ');
  const summary = [
    [bold(`UBND ${r.city.vi.toUpperCase()} — ${r.title}`)],
    [bold('Địa bàn'), text(r.city.vi)],
    [text(`Kỳ báo cáo: ${viDate(period.from, tz)} – ${viLastDay(period.to, tz)}`), text(`giờ địa phương (${tz})`)],
    [bold('Nguồn số liệu'), text(`Hệ thống Hải Đăng (IOC): ${streamsUsed}; mục tiêu, dân số và số dư đầu kỳ: gói dữ liệu thành phố${r.openingBalance?.origin === 'upload' ? ' (số dư đầu kỳ do quản trị viên nhập)' : ''}`)],
    [bold('Số liệu tính đến'), when(r.generatedAt)],
    [null],
    summaryHeader.map(bold),
    ...r.sections.flatMap(({ def, summary: rows }) =>
      rows.map((x) => [
        text(def.id),
        text(def.name.vi),
        text(viSeries(x.series)),
        text(def.unit === 'ratio' ? 'Tỷ lệ' : 'Mũi tiêm'),
        kpiNum(x.actual, def.unit),
        kpiNum(x.target, def.unit),
        text(viDirection(def.direction)),
        text(viMet(x.met)),
        text(viTrend(x.trend, x.improving)),
        text(viTargetOrigin(def.origin)),
        x.opening ? num(x.opening.doses) : null,
        x.population ? num(x.population) : null,
      ]),
    ),
  ];
  const perKpi = r.sections.map(({ def, series }, i) => ({
    sheet: sheetName(i, def.id),
    data: [
      [bold(def.name.vi)],
      seriesHeader.map(bold),
      ...series.map((p) => [
        { value: localWallClock(p.t, tz), type: Date, format: 'dd/mm/yyyy' },
        text(viSeries(p.series)),
        kpiNum(p.value, def.unit),
        kpiNum(def.target, def.unit),
        text(viMet(judge(def, p.value))),
      ]),
    ],
    columns: [{ width: 14 }, { width: 16 }, { width: 12 }, { width: 12 }, { width: 14 }],
    stickyRowsCount: 2,
  }));
  // a stream table without rows gets no sheet: the missing-data sheet already says the stream did not report
  const tables = r.tables.filter((t) => t.rows.length).map((t, i) => ({
    sheet: sheetName(r.sections.length + i, t.stream),
    data: [[bold(t.title.vi)], t.columns.map((c) => bold(c.label.vi)), ...t.rows.map((row) => row.map((v, k) => tableCell(t.columns[k]!.format, v)))],
    columns: t.columns.map((_, k) => ({ width: k === 0 ? 30 : 16 })),
    stickyRowsCount: 2,
  }));
  const coverage = {
    sheet: coverageSheet,
    data: [
      [bold('Số liệu còn thiếu theo luồng dữ liệu và ngày (giờ địa phương)')],
      ['Luồng dữ liệu', 'Số ngày trong kỳ', 'Số ngày có báo cáo', 'Số báo cáo', 'Từ ngày', 'Đến ngày', 'Số ngày thiếu'].map(bold),
      ...r.coverage.flatMap((c) =>
        c.missing.length
          ? c.missing.map((m) => [text(viStream[c.stream]!), num(c.days), num(c.daysWithData), num(c.reports), { value: new Date(`${m.from}T00:00:00Z`), type: Date, format: 'dd/mm/yyyy' }, { value: new Date(`${m.to}T00:00:00Z`), type: Date, format: 'dd/mm/yyyy' }, num((Date.parse(m.to) - Date.parse(m.from)) / 86_400_000 + 1)])
          : [[text(viStream[c.stream]!), num(c.days), num(c.daysWithData), num(c.reports), text('đủ'), null, num(0)]],
      ),
    ],
    columns: [{ width: 28 }, { width: 14 }, { width: 16 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 12 }],
    stickyRowsCount: 2,
  };
  const s = r.system;
  const system = {
    sheet: systemSheet,
    data: [
      [bold('Đánh giá hoạt động của hệ thống IOC trong kỳ')],
      [null],
      [bold('1. Nguồn báo cáo đúng hạn và độ mới của dữ liệu')],
      ['Luồng dữ liệu', 'Số báo cáo', 'Số nguồn', 'Chu kỳ báo cáo (giờ)', 'Báo cáo đúng hạn', 'Tỷ lệ đúng hạn', 'Độ trễ trung vị (phút)', 'Khoảng trống dài nhất (giờ)', 'Báo cáo cuối cùng nhận lúc'].map(bold),
      ...s.streams.map((x) => [text(viStream[x.stream]!), num(x.reports), num(x.sources), num(x.cadenceSeconds / 3600), num(x.onTime), x.reports ? num(x.onTime / x.reports, '0.0%') : null, x.medianDelaySeconds === null ? null : num(x.medianDelaySeconds / 60, '#,##0.0'), num(x.longestGapHours), x.lastReceivedAt ? when(new Date(x.lastReceivedAt)) : text('không có')]),
      [null],
      [bold('2. Báo cáo bị từ chối (thư chết) và lý do'), s.rejectedShare === null ? null : num(s.rejectedShare, '0.00%'), text('trên tổng số báo cáo nhận')],
      ['Luồng dữ liệu', 'Lý do', 'Số báo cáo'].map(bold),
      ...(s.rejections.length ? s.rejections.map((x) => [text(viStream[x.stream] ?? x.stream), text(x.reason), num(x.count)]) : [[text('Không có báo cáo bị từ chối trong kỳ')]]),
      [null],
      [bold('3. Cảnh báo phát ra và thời gian xác nhận')],
      ['Quy tắc', 'Mức độ', 'Số lần phát', 'Đã xác nhận', 'Đã kết thúc', 'Thời gian xác nhận trung vị (phút)', 'Thời gian xác nhận P90 (phút)'].map(bold),
      ...(s.alerts.length
        ? s.alerts.map((a) => [text(a.rule), text(a.severity), num(a.raised), num(a.acknowledged), num(a.resolved), a.medianAckSeconds === null ? null : num(a.medianAckSeconds / 60, '#,##0.0'), a.p90AckSeconds === null ? null : num(a.p90AckSeconds / 60, '#,##0.0')])
        : [[text('Không có cảnh báo trong kỳ')]]),
    ],
    columns: [{ width: 28 }, { width: 22 }, { width: 12 }, { width: 14 }, { width: 16 }, { width: 14 }, { width: 18 }, { width: 18 }, { width: 20 }],
  };
  return writeXlsxFile([
    { data: summary, sheet: 'Tổng hợp', stickyRowsCount: summaryTitleRows + 1, columns: [{ width: 28 }, { width: 50 }, { width: 16 }, { width: 10 }, { width: 12 }, { width: 12 }, { width: 16 }, { width: 16 }, { width: 22 }, { width: 22 }, { width: 18 }, { width: 16 }] },
    ...perKpi,
    ...tables,
    coverage,
    system,
  ] as never).toBuffer();
}

