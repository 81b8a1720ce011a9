import { useMemo, useState } from 'react';

import { api, exportUrl } from '../api/client.ts';
import { kpiEvaluation, kpiList, kpiSeries } from '../api/schemas.ts';
import { LineChart } from '../chart/line-chart.tsx';
import { formatDate, formatNumber, formatShare } from '../format/format.ts';
import { usePolled } from '../live/use-polled.ts';
import { useManifest } from '../manifest/use-manifest.ts';
import { useLang } from '../shell/use-lang.ts';
import { readerQuery, useCsvDialect } from './csv-dialect.ts';
import { sharedNow } from '../time/shared-now.ts';

const palette = ['#4fc3f7', '#81c784', '#ba68c8', '#ffd54f', '#e57373'];
const formats = ['csv', 'xlsx', 'parquet'] as const;

/** a period the evaluator picks: a rolling window, or one of the plan's report periods */
interface Period {
  id: string;
  from: string;
  to: string;
  step: string;
  report?: string;
}
function rolling(days: number, step: string): Period {
  const to = sharedNow();
  return { id: `last${days}d`, from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString(), step };
}

/** actual vs target per KPI for the chosen period, each KPI's series with its target line, and the export buttons */
export function KpiPanel({ mayExport, role }: { mayExport: boolean; role: string }) {
  const { lang, t } = useLang();
  // the raw export of every stream the role may read, as the manifest lists them
  const streams = useManifest().manifest?.streams.filter((s) => s.roles.includes(role)) ?? [];
  const list = usePolled((signal) => api('/kpi', kpiList, { signal }), 0, []);
  const [periodId, setPeriodId] = useState('last7d');
  const period: Period = useMemo(() => {
    if (periodId === 'last7d') return rolling(7, '1h');
    if (periodId === 'last30d') return rolling(30, '1d');
    const p = list.data?.reportPeriods.find((r) => r.id === periodId);
    return p ? { id: p.id, from: new Date(p.from).toISOString(), to: new Date(p.to).toISOString(), step: '1d', report: p.id } : rolling(7, '1h');
  }, [periodId, list.data]);
  const evaluation = usePolled(
    (signal) => api(period.report ? `/kpi/evaluation?report=${period.report}` : `/kpi/evaluation?from=${period.from}&to=${period.to}`, kpiEvaluation, { signal }),
    60_000,
    [period.id],
  );
  const series = usePolled(
    async (signal) => Promise.all((list.data?.kpis ?? []).map((k) => api(`/kpi/${k.id}/series?from=${period.from}&to=${period.to}&step=${period.step}`, kpiSeries, { signal }))),
    60_000,
    [period.id, list.data],
  );
  const fmt = (unit: string) => (v: number) => (unit === 'ratio' ? formatShare(lang, v) : formatNumber(lang, v));
  const [dialect] = useCsvDialect(lang);
  const reader = readerQuery(lang, dialect);
  // the chart's time axis spans the period, so a series of one point is not drawn on an axis uPlot invents around it (it gave 2027–2029)
  const bounds = [Date.parse(period.from) / 1000, Date.parse(period.to) / 1000];

  return (
    <div className="kpi-panel">
      <div className="toolbar">
        <label>
          {t('kpi.period')}{' '}
          <select value={periodId} onChange={(e) => setPeriodId(e.target.value)} data-testid="kpi-period">
            <option value="last7d">{t('kpi.last7d')}</option>
            <option value="last30d">{t('kpi.last30d')}</option>
            {list.data?.reportPeriods.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label[lang]}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {formatDate(lang, period.from)} – {formatDate(lang, period.to)}
        </span>
        {mayExport ? (
          <span className="exports">
            {t('kpi.exportRaw')}:{' '}
            {streams.map((s) =>
              formats.map((f) => (
                <a key={`${s.name}-${f}`} className="button small" href={exportUrl(`/export/raw/${s.name}`, { format: f, from: period.from, to: period.to, ...reader })} download data-testid={`export-${s.name}-${f}`}>
                  {s.label[lang]} {f.toUpperCase()}
                </a>
              )),
            )}
          </span>
        ) : null}
      </div>
      {list.error ? <p className="error">{t('error.load', { message: list.error })}</p> : null}
      <div className="kpi-grid">
        {(list.data?.kpis ?? []).map((k, i) => {
          const s = series.data?.[i];
          const results = evaluation.data?.results.filter((r) => r.kpi === k.id) ?? [];
          const names = [...new Set(s?.points.map((p) => p.series) ?? [])];
          const pointTimes = s?.points.map((p) => Date.parse(p.t) / 1000) ?? [];
          const times = pointTimes.length ? [...new Set([...bounds, ...pointTimes])].sort((a, b) => a - b) : [];
          const chartSeries = names.map((name, j) => {
            const byT = new Map(s!.points.filter((p) => p.series === name).map((p) => [Date.parse(p.t) / 1000, p.value]));
            return { label: seriesName(name, k.name[lang], t), values: times.map((x) => byT.get(x) ?? null), colour: palette[j % palette.length]! };
          });
          return (
            <article key={k.id} className="kpi-card" data-testid={`kpi-${k.id}`}>
              <h3>{k.name[lang]}</h3>
              <div className="kpi-results">
                {results.map((r) => (
                  <span key={r.series} className={`tag ${r.met === null ? 'info' : r.met ? 'good' : 'critical'}`}>
                    {r.series ? `${seriesName(r.series, '', t)}: ` : ''}
                    {t('kpi.actual')} {r.actual === null ? '—' : fmt(k.unit)(r.actual)} · {t('kpi.target')} {r.target === null ? '—' : fmt(k.unit)(r.target)} · {r.met === null ? t('kpi.untracked') : r.met ? t('kpi.met') : t('kpi.notMet')}
                  </span>
                ))}
              </div>
              {results[0]?.opening ? (
                <p className="muted" data-testid={`kpi-opening-${k.id}`}>
                  {t('evaluation.opening', { doses: formatNumber(lang, results[0].opening.doses), date: formatDate(lang, results[0].opening.asOf), origin: t(`evaluation.origin.${results[0].opening.origin}`) })}
                </p>
              ) : null}
              {times.length ? <LineChart times={times} series={chartSeries} target={k.target} targetLabel={t('kpi.target')} format={fmt(k.unit)} title="" height={150} /> : <p className="muted">{t('kpi.noData')}</p>}
              {mayExport ? (
                <div className="exports">
                  {t('kpi.export')}:{' '}
                  {formats.map((f) => (
                    <a key={f} className="button small" href={exportUrl(`/export/kpi/${k.id}`, { format: f, from: period.from, to: period.to, step: period.step, ...reader })} download data-testid={`export-kpi-${k.id}-${f}`}>
                      {f.toUpperCase()}
                    </a>
                  ))}
                </div>
              ) : null}
            </article>
          );
        })}
      </div>
    </div>
  );
}


/** a KPI series key in the viewer's language: "tier-2" → "Tầng 2", "" → the KPI's own name */
function seriesName(key: string, kpiName: string, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (!key) return kpiName;
  const tier = /^tier-(\d)$/.exec(key);
  if (tier) return t('map.tier', { tier: tier[1] });
  return key;
}
