import writeXlsxFile from 'write-excel-file/node';
import type { KpiDefinition } from '../kpi/definitions.ts';
import { judge, type KpiPoint } from '../kpi/engine.ts';
import type { KpiSummaryRow, ReportPeriod } from './report-data.ts';
import { localWallClock, viDate, viDirection, viLastDay, viMet, viSeries, viTargetOrigin, viTrend } from './vi-format.ts';

export interface KpiSection {
  def: KpiDefinition;
  summary: KpiSummaryRow[];
  series: KpiPoint[];
}

/** Excel number formats; Excel shows the separators of the reader's locale (vi-VN: 1.234,5) */
const numberFormat = (unit: KpiDefinition['unit']) => (unit === 'ratio' ? '0.0%' : '#,##0');
const bold = (value: string) => ({ value, type: String, fontWeight: 'bold' as const });
const text = (value: string) => ({ value, type: String });
const num = (value: number | null, unit: KpiDefinition['unit']) => (value === null ? null : { value, type: Number, format: numberFormat(unit) });

export const summaryHeader = ['Mã chỉ tiêu', 'Chỉ tiêu', 'Phạm vi', 'Đơn vị', 'Thực tế', 'Mục tiêu', 'Yêu cầu', 'Kết quả', 'Xu hướng', 'Nguồn mục tiêu'];
export const seriesHeader = ['Kỳ (bắt đầu)', 'Phạm vi', 'Giá trị', 'Mục tiêu', 'Kết quả'];
/** rows above the summary table's header: title, period, a blank line */
export const summaryTitleRows = 3;

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ] */
const sheetName = (i: number, id: string) => `${i + 1}. ${id}`.replace(/[:\\/?*[\]]/g, '-').slice(0, 31);

/**
 * The evaluation workbook: "Tổng hợp" (every KPI's actual, target, met or not and trend over the
 * period), then one sheet per KPI with its series. write-excel-file, as the exports use: a
 * writer only, one dependency. Built in memory (a zip is written whole); a year of daily
 * buckets for six KPIs is a few thousand rows.
 */
export async function evaluationXlsx(period: ReportPeriod, title: string, sections: KpiSection[]): Promise<Buffer> {
  const summary = [
    [bold(`UBND THÀNH PHỐ VŨNG TÀU — ${title}`)],
    [text(`Kỳ báo cáo: ${viDate(period.from)} – ${viLastDay(period.to)}`)],
    [null],
    summaryHeader.map(bold),
    ...sections.flatMap(({ def, summary: rows }) =>
      rows.map((r) => [text(def.id), text(def.name.vi), text(viSeries(r.series)), text(def.unit === 'ratio' ? 'Tỷ lệ' : 'Mũi tiêm'), num(r.actual, def.unit), num(r.target, def.unit), text(viDirection(def.direction)), text(viMet(r.met)), text(viTrend(r.trend, r.improving)), text(viTargetOrigin(def.origin))]),
    ),
  ];
  const perKpi = sections.map(({ def, series }, i) => ({
    sheet: sheetName(i, def.id),
    data: [
      [bold(def.name.vi)],
      seriesHeader.map(bold),
      ...series.map((p) => [
        { value: localWallClock(p.t), type: Date, format: 'dd/mm/yyyy' },
        text(viSeries(p.series)),
        num(p.value, def.unit),
        num(def.target, def.unit),
        text(viMet(judge(def, p.value))),
      ]),
    ],
    columns: [{ width: 14 }, { width: 16 }, { width: 12 }, { width: 12 }, { width: 14 }],
    stickyRowsCount: 2,
  }));
  return writeXlsxFile([
    { data: summary, sheet: 'Tổng hợp', columns: [{ width: 28 }, { width: 50 }, { width: 16 }, { width: 10 }, { width: 12 }, { width: 12 }, { width: 16 }, { width: 16 }, { width: 22 }, { width: 22 }] },
    ...perKpi,
  ]).toBuffer();
}
