import type { ManifestStream } from '@haidang/stream/manifest';
import { formatNumber, formatShare, type Lang } from '../format/format.ts';
import type { Row } from '../live/stream-merge.ts';
import { useLang } from '../shell/use-lang.ts';

/** rows drawn at most (the wall cannot show thousands); the wall screen shows the first few */
const maxRows = 60;
const kioskRows = 6;

interface Column {
  key: string;
  label: string;
  unit?: string | undefined;
  numeric: boolean;
  cell: (r: Row) => string;
}

/** an entity's name: the row's own (text or vi/en), the city pack's, else its id */
function entityName(r: Row, lang: Lang, names: ReadonlyMap<string, string>): string {
  const id = String(r.entity ?? '');
  const n = r.name;
  if (typeof n === 'string' && n) return n;
  if (n && typeof n === 'object' && typeof (n as Record<string, unknown>)[lang] === 'string') return (n as Record<Lang, string>)[lang];
  return names.get(id) ?? id;
}

/**
 * The columns of a stream's current-state table, from its manifest entry alone: the entity,
 * the dimension fields, the value fields with their units, then the ratios as shares.
 */
export function tableColumns(s: ManifestStream, lang: Lang, names: ReadonlyMap<string, string>, yesNo: { yes: string; no: string }, compact = false): Column[] {
  if (compact) {
    // the wall screen has room for a few columns read from afar: the flags and the ratios
    // (disbursement: behind schedule, disbursement rate), else the first two values
    const few = [...s.fields.filter((f) => f.type === 'boolean')];
    const short = { ...s, fields: few.length || s.ratios.length ? few : s.fields.filter((f) => !f.dimension).slice(0, 2) };
    return tableColumns(short, lang, names, yesNo);
  }
  const fields = [...s.fields.filter((f) => f.dimension), ...s.fields.filter((f) => !f.dimension)];
  return [
    { key: 'entity', label: s.entity.label[lang], numeric: false, cell: (r) => entityName(r, lang, names) },
    ...fields.map((f): Column => {
      const numeric = f.type === 'integer' || f.type === 'number';
      return {
        key: f.name,
        label: f.label[lang],
        // a label that already says its unit in brackets ('Kế hoạch vốn năm (đồng)') is not given it twice
        unit: /\)\s*$/.test(f.label[lang]) ? undefined : f.unit,
        numeric,
        cell: (r) => {
          const v = r[f.name];
          if (v === null || v === undefined || v === '') return '—';
          if (f.type === 'boolean') return v === true ? yesNo.yes : v === false ? yesNo.no : String(v);
          if (numeric) return typeof v === 'number' ? formatNumber(lang, v, f.type === 'integer' || Number.isInteger(v) ? 0 : 1) : '—';
          return String(v);
        },
      };
    }),
    ...s.ratios.map((q): Column => ({ key: q.name, label: q.label[lang], numeric: true, cell: (r) => formatShare(lang, typeof r[q.name] === 'number' ? (r[q.name] as number) : null, 1) })),
  ];
}

/**
 * The current state of a stream the dashboard has no dedicated panel for (component 'table',
 * or any it does not know): one row per entity and dimension values, every field of the
 * manifest with its label and unit in the viewer's language.
 */
export function StreamTable({ stream, rows, names, compact = false }: { stream: ManifestStream; rows: Row[]; names: ReadonlyMap<string, string>; compact?: boolean }) {
  const { lang, t } = useLang();
  const columns = tableColumns(stream, lang, names, { yes: t('table.yes'), no: t('table.no') }, compact);
  const sorted = [...rows].sort((a, b) => {
    for (const c of columns) {
      if (c.numeric) continue;
      const d = c.cell(a).localeCompare(c.cell(b), lang, { numeric: true });
      if (d) return d;
    }
    return 0;
  });
  const limit = compact ? kioskRows : maxRows;
  if (!rows.length) return <p className="muted" data-testid={`table-${stream.name}-empty`}>{t('table.empty')}</p>;
  return (
    <div className="table-wrap">
      <table data-testid={`table-${stream.name}`}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : ''} data-field={c.key}>
                {c.label}
                {c.unit ? <span className="muted"> ({c.unit})</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, limit).map((r) => (
            <tr key={JSON.stringify([r.entity, ...stream.fields.filter((f) => f.dimension).map((f) => r[f.name])])} data-entity={String(r.entity ?? '')}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : ''}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > limit ? <p className="muted">{t('table.more', { shown: limit, total: formatNumber(lang, sorted.length) })}</p> : null}
    </div>
  );
}
