import { useState } from 'react';
import { ApiError, api, exportUrl } from '../api/client.ts';
import { reportPreview, type ReportPreview } from '../api/report-schemas.ts';
import { kpiList } from '../api/schemas.ts';
import { formatDate, formatDateTime, formatNumber, formatShare, timeZone } from '../format/format.ts';
import { usePolled } from '../live/use-polled.ts';
import { useStreamLabel } from '../manifest/use-manifest.ts';
import { useLang } from '../shell/use-lang.ts';
import { useCsvDialect, type CsvDialect } from './csv-dialect.ts';

type Format = 'pdf' | 'xlsx';

/** the file name the api chose (content-disposition), or a plain one */
const fileName = (res: Response, report: string, format: Format) => /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `haidang-evaluation-${report}.${format}`;

/** the city's calendar date of an instant, yyyy-mm-dd */
const localDay = (t: string | number | Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t));
const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** quick periods, as local days (both included) */
function quickPeriod(id: string): { from: string; to: string } {
  const today = localDay(Date.now());
  const [y, m] = today.split('-').map(Number) as [number, number];
  const first = (yy: number, mm: number) => `${yy}-${String(mm).padStart(2, '0')}-01`;
  if (id === 'thisMonth') return { from: first(y, m), to: today };
  if (id === 'lastMonth') {
    const start = m === 1 ? first(y - 1, 12) : first(y, m - 1);
    return { from: start, to: shiftDay(first(y, m), -1) };
  }
  if (id === 'thisYear') return { from: `${y}-01-01`, to: today };
  return { from: shiftDay(today, -29), to: today };
}

/**
 * The evaluator's report: any period (typed dates, quick periods, or the plan's report dates as
 * shortcuts), a preview of the figures (KPIs against targets, opening balances, the days each
 * stream is missing, the IOC's own figures), and the PDF and XLSX of that period. The report
 * takes seconds to draw, so a file is fetched here (the button says "preparing…" meanwhile)
 * and handed to the browser as a download once complete.
 */
export function ReportButtons() {
  const { lang, t } = useLang();
  const list = usePolled((signal) => api('/kpi', kpiList, { signal }), 0, []);
  const [format, setFormat] = useState<Format>('pdf');
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string>();
  const [range, setRange] = useState(() => quickPeriod('last30'));
  const [preview, setPreview] = useState<ReportPreview>();
  const [previewing, setPreviewing] = useState(false);
  const [dialect, setDialect] = useCsvDialect(lang);

  const download = async (key: string, query: Record<string, string>, f: Format) => {
    const k = `${key}/${f}`;
    setBusy((b) => new Set(b).add(k));
    setError(undefined);
    try {
      const res = await fetch(exportUrl('/reports/evaluation', { ...query, format: f }), { credentials: 'same-origin' });
      if (!res.ok) throw new ApiError(res.status, '/reports/evaluation', await res.text());
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName(res, key, f);
      document.body.append(a);
      a.click();
      a.remove();
      // the browser has taken the blob once the click is handled
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy((b) => {
        const n = new Set(b);
        n.delete(k);
        return n;
      });
    }
  };

  const loadPreview = async () => {
    setPreviewing(true);
    setError(undefined);
    try {
      setPreview(await api(`/reports/evaluation/preview?${new URLSearchParams(range)}`, reportPreview));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setPreviewing(false);
    }
  };

  const customKey = `${range.from}_${range.to}`;
  const valid = range.from !== '' && range.to !== '' && range.from <= range.to;
  const fmt = (unit: string, v: number | null) => (unit === 'ratio' ? formatShare(lang, v, 1) : formatNumber(lang, v));

  return (
    <div className="report-buttons" data-testid="report-buttons">
      <strong>{t('report.title')}</strong>
      <label>
        {t('report.format')}{' '}
        <select value={format} onChange={(e) => setFormat(e.target.value as Format)} data-testid="report-format">
          <option value="pdf">PDF</option>
          <option value="xlsx">XLSX</option>
        </select>
      </label>
      {(list.data?.reportPeriods ?? []).map((p) => {
        const preparing = busy.has(`${p.id}/${format}`);
        return (
          <button key={p.id} type="button" className="small" disabled={preparing} aria-busy={preparing} onClick={() => void download(p.id, { report: p.id }, format)} data-testid={`report-${p.id}`}>
            {preparing ? `⏳ ${t('report.preparing')}` : `${t('report.download')}: ${p.label[lang]} (${format.toUpperCase()})`}
          </button>
        );
      })}
      <fieldset className="report-period" data-testid="report-period">
        <legend>{t('evaluation.anyPeriod')}</legend>
        <label>
          {t('evaluation.from')} <input type="date" value={range.from} onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))} data-testid="report-from" />
        </label>
        <label>
          {t('evaluation.to')} <input type="date" value={range.to} onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))} data-testid="report-to" />
        </label>
        <label>
          {t('evaluation.shortcut')}{' '}
          <select
            value=""
            onChange={(e) => {
              const v = e.target.value;
              const plan = list.data?.reportPeriods.find((p) => p.id === v);
              setRange(plan ? { from: localDay(plan.from), to: localDay(Date.parse(plan.to) - 1) } : quickPeriod(v));
              setPreview(undefined);
            }}
            data-testid="report-shortcut"
          >
            <option value="">—</option>
            <option value="last30">{t('evaluation.last30')}</option>
            <option value="thisMonth">{t('evaluation.thisMonth')}</option>
            <option value="lastMonth">{t('evaluation.lastMonth')}</option>
            <option value="thisYear">{t('evaluation.thisYear')}</option>
            {(list.data?.reportPeriods ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.label[lang]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="small" disabled={!valid || previewing} aria-busy={previewing} onClick={() => void loadPreview()} data-testid="report-preview-button">
          {previewing ? `⏳ ${t('evaluation.previewing')}` : t('evaluation.preview')}
        </button>
        {(['pdf', 'xlsx'] as const).map((f) => {
          const preparing = busy.has(`${customKey}/${f}`);
          return (
            <button key={f} type="button" className="small" disabled={!valid || preparing} aria-busy={preparing} onClick={() => void download(customKey, range, f)} data-testid={`report-custom-${f}`}>
              {preparing ? `⏳ ${t('report.preparing')}` : `${t('report.download')} ${f.toUpperCase()}`}
            </button>
          );
        })}
        <label>
          {t('evaluation.csvDialect')}{' '}
          <select value={dialect} onChange={(e) => setDialect(e.target.value as CsvDialect)} data-testid="csv-dialect">
            <option value="excel-vi">{t('evaluation.dialectExcelVi')}</option>
            <option value="rfc4180">{t('evaluation.dialectRfc')}</option>
          </select>
        </label>
      </fieldset>
      {error ? <p className="error">{t('report.failed', { message: error })}</p> : null}
      {preview ? <Preview p={preview} fmt={fmt} /> : null}
    </div>
  );
}

function Preview({ p, fmt }: { p: ReportPreview; fmt: (unit: string, v: number | null) => string }) {
  const { lang, t } = useLang();
  const label = useStreamLabel();
  const partial = p.coverage.filter((c) => c.missing.length);
  const day = (d: string) => formatDate(lang, `${d}T12:00:00+07:00`);
  return (
    <div className="report-preview" data-testid="report-preview">
      <h4>{p.report ? `${p.title} — ${day(p.firstDay)} – ${day(p.lastDay)}` : p.title}</h4>
      <table>
        <thead>
          <tr>
            <th>{t('evaluation.kpi')}</th>
            <th>{t('evaluation.scope')}</th>
            <th>{t('kpi.actual')}</th>
            <th>{t('kpi.target')}</th>
            <th>{t('evaluation.result')}</th>
          </tr>
        </thead>
        <tbody>
          {p.results.map((r) => (
            <tr key={`${r.kpi}/${r.series}`} data-kpi={r.kpi}>
              <td>
                {r.name[lang]}
                {r.opening ? (
                  <div className="muted">{t('evaluation.opening', { doses: formatNumber(lang, r.opening.doses), date: formatDate(lang, r.opening.asOf), origin: t(`evaluation.origin.${r.opening.origin}`) })}</div>
                ) : null}
              </td>
              <td>{r.series === '' ? t('evaluation.wholeCity') : r.series.replace('tier-', `${t('evaluation.tier')} `)}</td>
              <td>{fmt(r.unit, r.actual)}</td>
              <td>{r.target === null ? '—' : fmt(r.unit, r.target)}</td>
              <td className={r.met === null ? '' : r.met ? 'good' : 'critical'}>{r.actual === null ? t('kpi.noData') : r.met === null ? t('kpi.untracked') : r.met ? t('kpi.met') : t('kpi.notMet')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h5>{t('evaluation.missingTitle')}</h5>
      {partial.length === 0 ? (
        <p>{t('evaluation.complete')}</p>
      ) : (
        <ul data-testid="report-missing">
          {p.coverage.map((c) => (
            <li key={c.stream}>
              {label(c.stream)}: {t('evaluation.daysWithData', { n: c.daysWithData, of: c.days })}
              {c.missing.length ? ` — ${t('evaluation.missing')}: ${c.missing.slice(0, 6).map((m) => (m.from === m.to ? day(m.from) : `${day(m.from)}–${day(m.to)}`)).join(', ')}${c.missing.length > 6 ? ' …' : ''}` : ''}
            </li>
          ))}
        </ul>
      )}
      <h5>{t('evaluation.systemTitle')}</h5>
      <ul data-testid="report-system">
        {p.system.streams.map((s) => (
          <li key={s.stream}>
            {label(s.stream)}:{' '}
            {s.reports
              ? t('evaluation.onTime', { reports: formatNumber(lang, s.reports), sources: s.sources, share: formatShare(lang, s.onTime / s.reports, 1), gap: formatNumber(lang, s.longestGapHours), last: formatDateTime(lang, s.lastReceivedAt) })
              : t('evaluation.noReports')}
          </li>
        ))}
        <li>{t('evaluation.rejected', { n: formatNumber(lang, p.system.rejections.reduce((a, r) => a + r.count, 0)), share: formatShare(lang, p.system.rejectedShare, 2), reasons: p.system.rejections.slice(0, 3).map((r) => `${r.reason} (${r.count})`).join(', ') || '—' })}</li>
        <li>
          {t('evaluation.alerts', {
            raised: formatNumber(lang, p.system.alerts.reduce((a, x) => a + x.raised, 0)),
            acked: formatNumber(lang, p.system.alerts.reduce((a, x) => a + x.acknowledged, 0)),
          })}
        </li>
      </ul>
    </div>
  );
}
