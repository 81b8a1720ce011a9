import { useState } from 'react';
import { ApiError, api, exportUrl } from '../api/client.ts';
import { kpiList } from '../api/schemas.ts';
import { usePolled } from '../live/use-polled.ts';
import { useLang } from '../shell/use-lang.ts';

type Format = 'pdf' | 'xlsx';

/** the file name the api chose (content-disposition), or a plain one */
const fileName = (res: Response, report: string, format: Format) => /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `haidang-evaluation-${report}.${format}`;

/**
 * One button per plan report date. The report takes seconds to draw, so the file is fetched
 * here (the button says "preparing…" meanwhile) and handed to the browser as a download once
 * complete, instead of a plain link that would look dead until the first byte.
 */
export function ReportButtons() {
  const { lang, t } = useLang();
  const list = usePolled((signal) => api('/kpi', kpiList, { signal }), 0, []);
  const [format, setFormat] = useState<Format>('pdf');
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string>();

  const download = async (report: string, f: Format) => {
    const key = `${report}/${f}`;
    setBusy((b) => new Set(b).add(key));
    setError(undefined);
    try {
      const res = await fetch(exportUrl('/reports/evaluation', { report, format: f }), { credentials: 'same-origin' });
      if (!res.ok) throw new ApiError(res.status, '/reports/evaluation', await res.text());
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName(res, report, f);
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
        n.delete(key);
        return n;
      });
    }
  };

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
          <button key={p.id} type="button" className="small" disabled={preparing} aria-busy={preparing} onClick={() => void download(p.id, format)} data-testid={`report-${p.id}`}>
            {preparing ? `⏳ ${t('report.preparing')}` : `${t('report.download')}: ${p.label[lang]} (${format.toUpperCase()})`}
          </button>
        );
      })}
      {error ? <p className="error">{t('report.failed', { message: error })}</p> : null}
    </div>
  );
}
