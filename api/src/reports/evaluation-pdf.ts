import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { KpiDefinition } from '../kpi/definitions.ts';
import type { KpiPoint } from '../kpi/engine.ts';
import { localParts } from '../kpi/local-time.ts';
import type { StreamCoverage } from './report-coverage.ts';
import type { KpiSummaryRow, ReportPeriod } from './report-data.ts';
import type { SystemFigures } from './report-system.ts';
import { viCell, type ReportTable } from './stream-tables.ts';
import { viCount, viDate, viDateTime, viDay, viDirection, viDuration, viLastDay, viMet, viNumber, viOpening, viPeriod, viSeries, viShare, viStream, viTargetOrigin, viTrend } from './vi-format.ts';

const require = createRequire(import.meta.url);
/**
 * Noto Sans as whole TTF files (Google Fonts' build, shipped by @expo-google-fonts/noto-sans):
 * every Vietnamese letter in one font. The @fontsource packages split Latin and Vietnamese
 * into separate subset files, and pdfkit draws a run of text with one font.
 */
const fonts = {
  regular: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
};

/**
 * Noto Sans's `ccmp` feature splits ụ, ị, … into a base letter and a combining dot, and pdfkit
 * then maps the base glyph back to the plain letter in the text layer: the page looks right
 * but copying or searching it loses the dot. The font has the precomposed glyphs; keep them.
 */
const precomposed = { features: { ccmp: false } } as unknown as PDFKit.Mixins.TextOptions;
const opts = (o: PDFKit.Mixins.TextOptions = {}): PDFKit.Mixins.TextOptions => ({ ...precomposed, ...o });

const page = { margin: 50, width: 595.28, height: 841.89 };
const inner = page.width - 2 * page.margin;
const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

/**
 * The evaluation report as a PDF, written while the KPIs are read: pdfkit is a stream, so
 * each page leaves for the client as it is finished, and one KPI's series is held at a time.
 * Charts are drawn as vector paths (axes, a line per series, the target dashed).
 */
export class EvaluationPdf {
  readonly doc: PDFKit.PDFDocument;

  constructor(
    private readonly period: ReportPeriod,
    private readonly title: string,
    private readonly tz: string,
    private readonly city: { vi: string },
    now = new Date(),
  ) {
    this.doc = new PDFDocument({ size: 'A4', margin: page.margin, bufferPages: false, info: { Title: `Báo cáo đánh giá kết quả — ${title}`, Author: 'UBND thành phố Vũng Tàu (Hải Đăng)', CreationDate: now } });
    this.doc.registerFont('regular', fonts.regular);
    this.doc.registerFont('bold', fonts.bold);
    this.heading(now);
  }

  private heading(now: Date) {
    const d = this.doc;
    const half = inner / 2;
    const top = d.y;
    d.font('bold').fontSize(10).text(`UBND ${this.city.vi.toUpperCase()}`, page.margin, top, opts({ width: half - 10, align: 'center' }));
    d.font('regular').fontSize(9).text('Trung tâm Điều hành thông minh (IOC)', opts({ width: half - 10, align: 'center' }));
    d.font('bold').fontSize(10).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', page.margin + half, top, opts({ width: half, align: 'center' }));
    d.text('Độc lập - Tự do - Hạnh phúc', opts({ width: half, align: 'center' }));
    const local = localParts(now, this.tz);
    const place = this.city.vi.replace(/^(Thành phố|Tỉnh|Huyện|Thị xã)\s+/i, '');
    d.font('regular').fontSize(9).text(`${place}, ngày ${local.day} tháng ${local.month} năm ${local.year}`, opts({ width: half, align: 'center' }));
    d.moveDown(2);
    d.font('bold').fontSize(14).text('BÁO CÁO ĐÁNH GIÁ KẾT QUẢ', page.margin, d.y, opts({ width: inner, align: 'center' }));
    d.font('bold').fontSize(11).text('thực hiện Kế hoạch phục hồi và phát triển kinh tế - xã hội (Nghị quyết 11/NQ-CP)', opts({ width: inner, align: 'center' }));
    d.font('regular').fontSize(10).text(`${this.title} — kỳ báo cáo từ ${viDate(this.period.from, this.tz)} đến ${viLastDay(this.period.to, this.tz)}`, opts({ width: inner, align: 'center' }));
    d.moveDown(1.5);
  }

  /** the summary table: every KPI and scope, actual against target, met or not, trend */
  summary(rows: Array<{ def: KpiDefinition; row: KpiSummaryRow }>) {
    const d = this.doc;
    const cols = [
      { h: 'Chỉ tiêu', w: 150 },
      { h: 'Phạm vi', w: 70 },
      { h: 'Thực tế', w: 45 },
      { h: 'Mục tiêu', w: 95 },
      { h: 'Kết quả', w: 55 },
      { h: 'Xu hướng', w: inner - 415 },
    ];
    d.font('bold').fontSize(11).text('I. TỔNG HỢP CÁC CHỈ TIÊU', page.margin, d.y, precomposed);
    d.moveDown(0.5);
    const line = (cells: string[], font: 'regular' | 'bold') => {
      d.font(font).fontSize(8.5);
      const heights = cells.map((c, i) => d.heightOfString(c, opts({ width: cols[i]!.w - 4 })));
      const h = Math.max(...heights) + 6;
      if (d.y + h > page.height - page.margin) d.addPage();
      const y = d.y;
      let x = page.margin;
      cells.forEach((c, i) => {
        d.text(c, x + 2, y + 3, opts({ width: cols[i]!.w - 4 }));
        x += cols[i]!.w;
      });
      d.moveTo(page.margin, y + h).lineTo(page.margin + inner, y + h).lineWidth(0.5).strokeColor('#999999').stroke();
      d.x = page.margin;
      d.y = y + h;
    };
    line(cols.map((c) => c.h), 'bold');
    for (const { def, row } of rows) {
      const target = def.target === null ? 'Theo dõi' : `${viDirection(def.direction).toLowerCase()} ${viNumber(def.unit, def.target)}`;
      line([def.name.vi, viSeries(row.series), viNumber(def.unit, row.actual), target, viMet(row.met), viTrend(row.trend, row.improving)], 'regular');
    }
    d.moveDown(0.5);
    // cumulative KPIs: say what the figure starts from
    for (const { def, row } of rows) {
      if (!def.cumulative) continue;
      const start = row.opening ? viOpening(row.opening, this.tz) : 'chưa có số dư đầu kỳ: chỉ tính các mũi tiêm hệ thống đã nhận';
      d.font('regular').fontSize(8).fillColor('#444444').text(`* ${def.name.vi}: ${start}; mẫu số ${viCount(row.population ?? 0)} người (dân số nhóm tuổi theo gói dữ liệu thành phố).`, page.margin, d.y, opts({ width: inner }));
    }
    d.fillColor('black');
    d.moveDown(1);
  }

  /** one KPI: its name, what it measures, and its series as a line chart with the target */
  chart(index: number, def: KpiDefinition, points: KpiPoint[]) {
    const d = this.doc;
    const height = 170;
    if (d.y + height + 90 > page.height - page.margin) d.addPage();
    if (index === 0) d.font('bold').fontSize(11).text('II. DIỄN BIẾN TỪNG CHỈ TIÊU', page.margin, d.y, precomposed).moveDown(0.5);
    d.font('bold').fontSize(10).fillColor('black').text(`${index + 1}. ${def.name.vi}`, page.margin, d.y, opts({ width: inner }));
    const target = def.target === null ? 'theo dõi, không có mục tiêu' : `${viDirection(def.direction).toLowerCase()} ${viNumber(def.unit, def.target)} (nguồn: ${viTargetOrigin(def.origin)})`;
    d.font('regular').fontSize(8).fillColor('#444444').text(`Mục tiêu: ${target}; số liệu theo ${viPeriod(def.period)}.`, opts({ width: inner }));
    d.moveDown(0.5);
    const box = { x: page.margin + 45, y: d.y, w: inner - 55, h: height };
    const series = [...new Set(points.map((p) => p.series))];
    const values = points.filter((p) => p.value !== null).map((p) => p.value!);
    const times = points.map((p) => Date.parse(p.t));
    d.fillColor('black');
    if (!values.length) {
      d.font('regular').fontSize(9).text('Không có dữ liệu trong kỳ.', box.x, box.y + 10, precomposed);
      d.y = box.y + 40;
      d.x = page.margin;
      return;
    }
    const lo = Math.min(0, ...values, def.target ?? 0);
    const hi = Math.max(...values, def.target ?? 0) * 1.05 || 1;
    const t0 = Math.min(...times);
    const t1 = Math.max(...times);
    const xOf = (t: number) => box.x + (t1 === t0 ? box.w / 2 : ((t - t0) / (t1 - t0)) * box.w);
    const yOf = (v: number) => box.y + box.h - ((v - lo) / (hi - lo)) * box.h;
    // axes and four gridlines labelled in vi-VN
    d.lineWidth(0.5).strokeColor('#bbbbbb');
    for (let k = 0; k <= 4; k++) {
      const v = lo + ((hi - lo) * k) / 4;
      d.moveTo(box.x, yOf(v)).lineTo(box.x + box.w, yOf(v)).stroke();
      d.font('regular').fontSize(7).fillColor('#444444').text(viNumber(def.unit, v), page.margin - 5, yOf(v) - 4, opts({ width: 48, align: 'right' }));
    }
    d.text(viDate(new Date(t0), this.tz), box.x - 20, box.y + box.h + 4, opts({ width: 60 }));
    d.text(viDate(new Date(t1), this.tz), box.x + box.w - 40, box.y + box.h + 4, opts({ width: 60, align: 'right' }));
    if (def.target !== null) {
      d.lineWidth(1).strokeColor('#e377c2').dash(4, { space: 3 }).moveTo(box.x, yOf(def.target)).lineTo(box.x + box.w, yOf(def.target)).stroke().undash();
    }
    series.forEach((s, i) => {
      const pts = points.filter((p) => p.series === s && p.value !== null);
      d.lineWidth(1.2).strokeColor(palette[i % palette.length]!);
      pts.forEach((p, k) => (k === 0 ? d.moveTo(xOf(Date.parse(p.t)), yOf(p.value!)) : d.lineTo(xOf(Date.parse(p.t)), yOf(p.value!))));
      if (pts.length === 1) d.circle(xOf(Date.parse(pts[0]!.t)), yOf(pts[0]!.value!), 1.5);
      d.stroke();
    });
    // legend
    let lx = box.x;
    const ly = box.y + box.h + 16;
    const legend = [...series.map((s, i) => ({ label: viSeries(s), color: palette[i % palette.length]! })), ...(def.target === null ? [] : [{ label: `Mục tiêu ${viNumber(def.unit, def.target)}`, color: '#e377c2' }])];
    for (const l of legend) {
      d.rect(lx, ly + 2, 8, 4).fill(l.color);
      d.fillColor('black').font('regular').fontSize(7.5).text(l.label, lx + 11, ly, opts({ lineBreak: false }));
      lx += 20 + d.widthOfString(l.label, precomposed);
    }
    d.x = page.margin;
    d.y = ly + 22;
  }

  /** the streams' own tables (each disbursement project, …), after the KPIs' charts: the first column twice as wide as the others */
  tables(tables: ReportTable[]) {
    const d = this.doc;
    for (const t of tables) {
      if (d.y + 80 > page.height - page.margin) d.addPage();
      d.moveDown(0.5);
      d.font('bold').fontSize(10).fillColor('black').text(t.title.vi, page.margin, d.y, opts({ width: inner }));
      d.moveDown(0.3);
      if (!t.rows.length) {
        this.paragraph('Không có báo cáo trong kỳ.');
        continue;
      }
      const unit = inner / (t.columns.length + 1);
      const widths = t.columns.map((_, i) => (i === 0 ? 2 * unit : unit));
      const line = (cells: string[], font: 'regular' | 'bold') => {
        d.font(font).fontSize(7.5);
        const h = Math.max(...cells.map((c, i) => d.heightOfString(c, opts({ width: widths[i]! - 4 })))) + 5;
        if (d.y + h > page.height - page.margin) d.addPage();
        const y = d.y;
        let x = page.margin;
        cells.forEach((c, i) => {
          d.text(c, x + 2, y + 2.5, opts({ width: widths[i]! - 4, align: i === 0 ? 'left' : 'right' }));
          x += widths[i]!;
        });
        d.moveTo(page.margin, y + h).lineTo(page.margin + inner, y + h).lineWidth(0.5).strokeColor('#999999').stroke();
        d.x = page.margin;
        d.y = y + h;
      };
      line(t.columns.map((c) => c.label.vi), 'bold');
      for (const row of t.rows) line(row.map((v, i) => viCell(t.columns[i]!.format, v)), 'regular');
    }
    d.fillColor('black');
  }

  private sectionTitle(title: string) {
    const d = this.doc;
    if (d.y + 80 > page.height - page.margin) d.addPage();
    d.moveDown(0.5);
    d.font('bold').fontSize(11).fillColor('black').text(title, page.margin, d.y, opts({ width: inner }));
    d.moveDown(0.4);
  }

  private paragraph(t: string, size = 9) {
    const d = this.doc;
    d.font('regular').fontSize(size).fillColor('black');
    if (d.y + d.heightOfString(t, opts({ width: inner })) > page.height - page.margin) d.addPage();
    d.text(t, page.margin, d.y, opts({ width: inner }));
  }

  /** the streams and local days without any report: a report on partial data says so instead of printing nothing */
  missing(coverage: StreamCoverage[]) {
    this.sectionTitle('III. SỐ LIỆU CÒN THIẾU TRONG KỲ');
    const partial = coverage.filter((c) => c.missing.length);
    if (!partial.length) {
      this.paragraph('Mọi luồng dữ liệu đều có báo cáo trong từng ngày của kỳ.');
      return;
    }
    for (const c of coverage) {
      if (!c.missing.length) {
        this.paragraph(`• ${viStream[c.stream]}: đủ ${c.days}/${c.days} ngày.`);
        continue;
      }
      const runs = c.missing.slice(0, 12).map((m) => (m.from === m.to ? viDay(m.from) : `${viDay(m.from)}–${viDay(m.to)}`));
      const more = c.missing.length > 12 ? ` và ${c.missing.length - 12} khoảng khác` : '';
      this.paragraph(c.daysWithData === 0 ? `• ${viStream[c.stream]}: không có báo cáo nào trong kỳ (${c.days} ngày).` : `• ${viStream[c.stream]}: có số liệu ${c.daysWithData}/${c.days} ngày; thiếu ${c.days - c.daysWithData} ngày: ${runs.join(', ')}${more}.`);
    }
    this.paragraph('Các chỉ tiêu của luồng thiếu số liệu chỉ phản ánh những ngày có báo cáo.', 8);
  }

  /** the IOC evaluated on its own figures: on-time sources, rejected reports and why, freshness, alerts */
  system(s: SystemFigures) {
    this.sectionTitle('IV. ĐÁNH GIÁ HOẠT ĐỘNG CỦA HỆ THỐNG IOC');
    this.paragraph('1. Nguồn báo cáo đúng hạn và độ mới của dữ liệu:');
    for (const x of s.streams) {
      this.paragraph(
        x.reports
          ? `• ${viStream[x.stream]}: ${viCount(x.reports)} báo cáo từ ${x.sources} nguồn; ${viShare(x.onTime / x.reports)} nhận trong chu kỳ ${viDuration(x.cadenceSeconds)}, độ trễ trung vị ${viDuration(x.medianDelaySeconds)}; khoảng trống dài nhất ${viCount(x.longestGapHours)} giờ; báo cáo cuối lúc ${viDateTime(x.lastReceivedAt!, this.tz)}.`
          : `• ${viStream[x.stream]}: không nhận được báo cáo nào trong kỳ.`,
      );
    }
    const refused = s.rejections.reduce((a, r) => a + r.count, 0);
    this.paragraph(`2. Báo cáo bị từ chối: ${viCount(refused)}${s.rejectedShare === null ? '' : ` (${viShare(s.rejectedShare)} số báo cáo nhận)`}${refused ? '; lý do:' : '.'}`);
    for (const r of s.rejections.slice(0, 10)) this.paragraph(`• ${viStream[r.stream] ?? r.stream} — ${r.reason}: ${viCount(r.count)}`);
    const raised = s.alerts.reduce((a, x) => a + x.raised, 0);
    const acked = s.alerts.reduce((a, x) => a + x.acknowledged, 0);
    this.paragraph(`3. Cảnh báo: ${viCount(raised)} lần phát, ${viCount(acked)} đã được xác nhận${raised ? ':' : '.'}`);
    for (const a of s.alerts.slice(0, 10)) this.paragraph(`• ${a.rule} (${a.severity}): ${viCount(a.raised)} lần, xác nhận ${viCount(a.acknowledged)}, thời gian xác nhận trung vị ${viDuration(a.medianAckSeconds)}, P90 ${viDuration(a.p90AckSeconds)}.`);
  }

  end() {
    this.doc.end();
  }
}
