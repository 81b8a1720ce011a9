import { defineStream, requiredUpload } from '../descriptor.ts';
import { kpiRange } from '../kpi-sql.ts';
import { disbursementEvent, disbursementPayload } from './contract.ts';
import { projectPlace } from './projects.ts';
import { disbursementPattern } from './simulate.ts';

const upload = requiredUpload;

/**
 * Public-investment disbursement per project, monthly (the plan's fifth stream, III.3.1:
 * "báo cáo tình hình giải ngân đầu tư công định kỳ hàng tháng"). A gauge: a project's report
 * replaces its figures for that plan year; the plan year is a dimension, so in January (the
 * extension month) last year's plan and this year's stand side by side.
 */
export const disbursement = defineStream({
  name: 'disbursement',
  topic: 'ioc.disbursement.v1',
  version: 1,
  payload: disbursementPayload,
  event: disbursementEvent,
  kind: 'gauge',
  label: { vi: 'Giải ngân đầu tư công', en: 'Public-investment disbursement' },
  entity: {
    kind: 'project',
    label: { vi: 'Dự án', en: 'Project' },
    places: 'projects',
    key: 'project id',
    upload: { headers: ['Mã dự án', 'Dự án', 'project', 'projectId'], example: 'da-ke-long-son' },
  },
  fields: [
    { path: 'planYear', column: 'plan_year', store: 'UInt16', read: (p) => p.planYear, type: 'integer', dimension: true, label: { vi: 'Năm kế hoạch', en: 'Plan year' }, upload: upload('2022', 'Năm kế hoạch', 'Năm KH', 'Kế hoạch năm') },
    { path: 'month', column: 'month', store: 'LowCardinality(String)', read: (p) => p.month, type: 'string', label: { vi: 'Tháng báo cáo', en: 'Month' }, upload: { ...upload('08/2022', 'Tháng báo cáo', 'Tháng', 'Kỳ báo cáo'), cell: 'month' } },
    { path: 'capitalPlanVnd', column: 'capital_plan_vnd', store: 'UInt64', read: (p) => p.capitalPlanVnd, type: 'integer', unit: 'VND', label: { vi: 'Kế hoạch vốn năm (đồng)', en: 'Year’s capital plan (VND)' }, upload: upload('150.000.000.000', 'Kế hoạch vốn năm (đồng)', 'Kế hoạch vốn năm', 'Kế hoạch vốn', 'KH vốn năm', 'Kế hoạch vốn được giao') },
    { path: 'disbursedMonthVnd', column: 'disbursed_month_vnd', store: 'UInt64', read: (p) => p.disbursedMonthVnd, type: 'integer', unit: 'VND', label: { vi: 'Giải ngân trong tháng (đồng)', en: 'Disbursed this month (VND)' }, upload: upload('9.500.000.000', 'Giải ngân trong tháng (đồng)', 'Giải ngân trong tháng', 'Giải ngân tháng', 'Giá trị giải ngân trong tháng') },
    { path: 'disbursedToDateVnd', column: 'disbursed_to_date_vnd', store: 'UInt64', read: (p) => p.disbursedToDateVnd, type: 'integer', unit: 'VND', label: { vi: 'Lũy kế giải ngân (đồng)', en: 'Disbursed to date (VND)' }, upload: upload('64.500.000.000', 'Lũy kế giải ngân (đồng)', 'Lũy kế giải ngân', 'Lũy kế giải ngân từ đầu năm', 'Lũy kế') },
    { path: 'physicalProgressPct', column: 'physical_progress_pct', store: 'Float64', read: (p) => p.physicalProgressPct, type: 'number', unit: '%', label: { vi: 'Tiến độ thực hiện (%)', en: 'Physical progress (%)' }, upload: upload('52,5', 'Tiến độ thực hiện (%)', 'Tiến độ thực hiện', 'Khối lượng thực hiện (%)', 'Tiến độ (%)') },
    { path: 'behindSchedule', column: 'behind_schedule', store: 'Bool', read: (p) => p.behindSchedule, type: 'boolean', label: { vi: 'Chậm tiến độ', en: 'Behind schedule' }, upload: upload('không', 'Chậm tiến độ', 'Chậm tiến độ (có/không)', 'Chậm') },
  ],
  ratios: [{ name: 'disbursementRate', numerator: 'disbursedToDateVnd', denominator: 'capitalPlanVnd', label: { vi: 'Tỷ lệ giải ngân', en: 'Disbursement rate' } }],
  // owners report once a month, by the month's last working day; silence is judged over two months
  cadence: { cadenceMinutes: 31 * 1440, hours: { from: '07:00', to: '17:30' }, weekdays: [1, 2, 3, 4, 5] },
  roles: ['admin', 'operator', 'evaluator'],
  channel: 'disbursement',
  currentPath: '/disbursement/projects',
  kpis: [
    {
      id: 'disbursement-rate',
      unit: 'ratio',
      cumulative: false,
      description: 'paid to date / the year’s capital plan, summed over the projects’ last reports in the bucket, one series per plan year',
      sql: `SELECT b AS t, toString(plan_year) AS series, sum(disbursed_to_date_vnd) / nullIf(sum(capital_plan_vnd), 0) AS value
        FROM {{last(disbursement: disbursed_to_date_vnd, capital_plan_vnd)}}
        GROUP BY t, series ORDER BY t, series`,
    },
  ],
  // no dedicated panel: the wall's generic current-state table shows it
  panel: { component: 'table', order: 50 },
  placeSchema: projectPlace,
  example: { planYear: 2022, month: '2022-08', capitalPlanVnd: 150_000_000_000, disbursedMonthVnd: 9_500_000_000, disbursedToDateVnd: 64_500_000_000, physicalProgressPct: 52.5, behindSchedule: false },
  alerts: [
    {
      // the plan: hold those responsible for projects behind schedule, move their capital to faster ones
      id: 'disbursement-behind-schedule',
      op: '>=',
      threshold: 1,
      forSeconds: 0,
      severity: 'warning',
      message: { vi: 'Dự án đầu tư công chậm tiến độ giải ngân', en: 'Public-investment project behind schedule' },
      read: (p) => ({ series: String(p.planYear), value: p.behindSchedule ? 1 : 0 }),
    },
  ],
  reportTables: [
    {
      title: { vi: 'Tình hình giải ngân vốn đầu tư công theo dự án (báo cáo cuối cùng trong kỳ, dự án chậm tiến độ trước)', en: 'Public-investment disbursement by project (last report in the period, projects behind schedule first)' },
      sql: `SELECT entity AS project, toString(plan_year) AS planYear, l.1 AS reportMonth, l.2 AS plan, l.3 AS disbursed, l.3 / nullIf(l.2, 0) AS rate, l.4 AS progress, l.5 AS behind
        FROM (SELECT entity, plan_year, argMax(tuple(month, capital_plan_vnd, disbursed_to_date_vnd, physical_progress_pct, behind_schedule), tuple(observed_at, received_at)) AS l
              FROM disbursement_raw WHERE ${kpiRange('observed_at')} GROUP BY entity, plan_year)
        ORDER BY planYear, behind DESC, rate, project`,
      columns: [
        { name: 'project', label: { vi: 'Dự án', en: 'Project' }, format: 'text' },
        { name: 'planYear', label: { vi: 'Năm kế hoạch', en: 'Plan year' }, format: 'text' },
        { name: 'reportMonth', label: { vi: 'Tháng báo cáo', en: 'Month' }, format: 'text' },
        { name: 'plan', label: { vi: 'Kế hoạch vốn năm (triệu đồng)', en: 'Year’s capital plan (million VND)' }, format: 'vnd' },
        { name: 'disbursed', label: { vi: 'Lũy kế giải ngân (triệu đồng)', en: 'Disbursed to date (million VND)' }, format: 'vnd' },
        { name: 'rate', label: { vi: 'Tỷ lệ giải ngân', en: 'Disbursement rate' }, format: 'ratio' },
        { name: 'progress', label: { vi: 'Tiến độ thực hiện (%)', en: 'Physical progress (%)' }, format: 'percent' },
        { name: 'behind', label: { vi: 'Chậm tiến độ', en: 'Behind schedule' }, format: 'yesNo' },
      ],
    },
  ],
  simulate: (ctx) => {
    const projects = ctx.entities.map((e) => ({ id: e.id, capitalPlanVnd: Number(e.capitalPlanVnd), planYear: Number(e.planYear) }));
    return disbursementPattern(projects, ctx.random);
  },
});
