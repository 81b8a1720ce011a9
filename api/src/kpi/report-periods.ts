/**
 * The plan's reporting dates: departments report results by 15 Aug 2022, then in Aug 2023
 * and Apr 2024 (the city reports to the province on 25 Aug 2022, Aug 2023, Apr 2024). Each
 * report covers the time since the previous one; the first starts with Resolution 11/NQ-CP
 * (30 Jan 2022). Bounds are local midnight in Vũng Tàu (UTC+7).
 */
export const reportPeriods = [
  { id: '2022-08-15', label: { vi: 'Báo cáo kết quả đến 15/8/2022', en: 'Results to 15 Aug 2022' }, from: '2022-01-30T00:00:00+07:00', to: '2022-08-15T00:00:00+07:00' },
  { id: '2023-08', label: { vi: 'Báo cáo tháng 8/2023', en: 'Report of Aug 2023' }, from: '2022-08-15T00:00:00+07:00', to: '2023-09-01T00:00:00+07:00' },
  { id: '2024-04', label: { vi: 'Báo cáo tháng 4/2024', en: 'Report of Apr 2024' }, from: '2023-09-01T00:00:00+07:00', to: '2024-05-01T00:00:00+07:00' },
] as const;
export type ReportPeriodId = (typeof reportPeriods)[number]['id'];
export const reportPeriodIds = reportPeriods.map((p) => p.id) as [ReportPeriodId, ...ReportPeriodId[]];
