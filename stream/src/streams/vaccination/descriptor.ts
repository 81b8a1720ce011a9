import { defineStream } from '../descriptor.ts';
import { kpiRange } from '../kpi-sql.ts';
import { vaccinationEvent, vaccinationPayload } from './contract.ts';

/**
 * Coverage of a cohort: (doses before go-live + doses of that dose and ages stored since
 * go-live up to the end of each bucket) / census of those ages. The period's first bucket is
 * always there (a zero row), so the opening balance alone still gives a value.
 */
const coverage = `SELECT t, series, value FROM (
  SELECT t, '' AS series, ({opening:Float64} + sum(n) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) / nullIf({population:Float64}, 0) AS value
  FROM (SELECT t, sum(n) AS n FROM (
      SELECT {{bucket(observed_at)}} AS t, toFloat64(sum(doses)) AS n FROM vaccination_asof FINAL
        WHERE dose_number = {dose:UInt8} AND has({ages:Array(String)}, age_group) AND observed_at >= {since:DateTime64(3, 'UTC')} AND observed_at < {to:DateTime64(3, 'UTC')}
        GROUP BY t
      UNION ALL SELECT {{bucket({from:DateTime64(3, 'UTC')})}} AS t, 0 AS n)
    GROUP BY t))
  WHERE t >= {{bucket({from:DateTime64(3, 'UTC')})}} ORDER BY t`;

/** Doses given per ward, dose number, vaccine and age group: a counter, in the clinics' sessions. */
export const vaccination = defineStream({
  name: 'vaccination',
  topic: 'ioc.vaccination.v1',
  version: 1,
  payload: vaccinationPayload,
  event: vaccinationEvent,
  kind: 'counter',
  label: { vi: 'Tiêm chủng', en: 'Vaccination' },
  entity: {
    kind: 'ward',
    label: { vi: 'Phường', en: 'Ward' },
    places: 'wards',
    idField: 'code',
    key: 'ward code',
    upload: { headers: ['Phường', 'Mã phường', 'Phường/xã', 'Mã phường/xã', 'ward', 'wardCode'], example: '26506' },
  },
  fields: [
    { path: 'doseNumber', column: 'dose_number', store: 'UInt8', read: (p) => p.doseNumber, type: 'integer', dimension: true, label: { vi: 'Mũi', en: 'Dose' }, upload: { headers: ['Mũi', 'Mũi tiêm', 'Mũi thứ'], example: '3', required: true } },
    { path: 'vaccine', column: 'vaccine', store: 'LowCardinality(String)', read: (p) => p.vaccine, type: 'string', dimension: true, label: { vi: 'Vắc xin', en: 'Vaccine' }, upload: { headers: ['Vắc xin', 'Loại vắc xin', 'Vaccine'], example: 'Pfizer', required: true } },
    { path: 'ageGroup', column: 'age_group', store: 'LowCardinality(String)', read: (p) => p.ageGroup, type: 'enum', dimension: true, label: { vi: 'Nhóm tuổi', en: 'Age group' }, upload: { headers: ['Nhóm tuổi', 'Độ tuổi'], example: '18-49', required: true } },
    { path: 'doses', column: 'doses', store: 'UInt32', read: (p) => p.doses, type: 'integer', unit: 'doses', label: { vi: 'Số liều', en: 'Doses' }, upload: { headers: ['Số liều', 'Số mũi đã tiêm', 'Số liều đã tiêm'], example: '1.250', required: true } },
    { path: 'pushedToNiis', column: 'pushed_to_niis', store: 'Nullable(Bool)', read: (p) => p.pushedToNiis ?? null, type: 'boolean', label: { vi: 'Đã đẩy lên hệ thống tiêm chủng', en: 'Pushed to the national immunization system' }, upload: { headers: ['Đã đẩy lên hệ thống tiêm chủng', 'Đã đồng bộ', 'niis'], example: 'có', required: false } },
  ],
  ratios: [],
  // clinics report in their sessions, Monday to Saturday
  cadence: { cadenceMinutes: 120, hours: { from: '07:30', to: '17:00' }, weekdays: [1, 2, 3, 4, 5, 6] },
  roles: ['admin', 'operator', 'health', 'evaluator'],
  channel: 'vaccination',
  currentPath: '/vaccination/wards',
  kpis: [
    {
      id: 'vaccination-doses',
      unit: 'doses',
      cumulative: false,
      description: 'doses given in the bucket, every dose number and age group',
      sql: `SELECT {{bucket(observed_at)}} AS t, '' AS series, toFloat64(sum(doses)) AS value FROM vaccination_asof FINAL WHERE ${kpiRange('observed_at')} GROUP BY t ORDER BY t`,
    },
    {
      id: 'vaccination-coverage-dose1',
      unit: 'ratio',
      cumulative: true,
      description: 'people of the cohort with a first dose (opening balance + doses since go-live) / census of the cohort',
      sql: coverage,
    },
    {
      id: 'vaccination-booster-12-17',
      unit: 'ratio',
      cumulative: true,
      description: 'people of the cohort with a booster (opening balance + doses since go-live) / census of the cohort',
      sql: coverage,
    },
  ],
  panel: { component: 'vaccination', order: 20 },
});
