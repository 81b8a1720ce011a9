import { allDescriptors, type DataStreamName } from '@haidang/stream';

/**
 * The columns of each stream's report, as departments write them (from the stream's
 * descriptor: stream/src/streams/<name>/descriptor.ts): the first header is the
 * Vietnamese one the templates use; the others (and the English field names) are accepted
 * too. `field` is where the value goes in the event (`payload.*` or an envelope field).
 */
type CellKind = 'entity' | 'date' | 'integer' | 'number' | 'percent' | 'text' | 'boolean' | 'month';

export interface ColumnSpec {
  field: string;
  headers: readonly string[];
  kind: CellKind;
  required: boolean;
  example: string;
}

const col = (field: string, kind: CellKind, required: boolean, example: string, ...headers: string[]): ColumnSpec => ({ field, headers, kind, required, example });

const observed = col('observedAt', 'date', true, '15/08/2022 07:00', 'Ngày báo cáo', 'Thời điểm', 'Ngày');
const id = col('id', 'text', false, '', 'Mã báo cáo');

/** a descriptor field's kind of cell */
const cellKind = { integer: 'integer', number: 'number', boolean: 'boolean', string: 'text', enum: 'text' } as const;

/** each stream's report columns, from its descriptor: the entity, the date, the payload fields in order (a field in % is a percent cell), the report id */
export const streamColumns = Object.fromEntries(
  allDescriptors.map((d) => [
    d.name,
    [
      col('entity', 'entity', true, d.entity.upload.example, ...d.entity.upload.headers),
      observed,
      ...d.fields.map((f) => col(`payload.${f.path}`, f.upload.cell ?? (f.unit === '%' ? 'percent' : cellKind[f.type]), f.upload.required, f.upload.example, ...f.upload.headers)),
      id,
    ],
  ]),
) as unknown as Record<DataStreamName, readonly ColumnSpec[]>;

/** lower case, one space, Unicode NFC; a second form without diacritics forgives "Tang" for "Tầng" */
function headerKey(h: string): string {
  return h.normalize('NFC').replace(/^\ufeff/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}
export function bareHeaderKey(h: string): string {
  return headerKey(h).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');
}

export interface HeaderMatch {
  /** column index → spec */
  byIndex: Map<number, ColumnSpec>;
  /** spec field → the header as written in the file */
  headerOf: Map<string, string>;
  ignored: string[];
  missing: string[];
  duplicated: string[];
}

/** matches a file's header row to a stream's columns: Vietnamese, without diacritics, or the English field name */
export function matchHeaders(stream: DataStreamName, header: readonly string[]): HeaderMatch {
  const specs = streamColumns[stream];
  const exact = new Map<string, ColumnSpec>();
  const bare = new Map<string, ColumnSpec>();
  for (const s of specs) {
    const names = [...s.headers, s.field, s.field.split('.').pop()!];
    for (const n of names) {
      exact.set(headerKey(n), s);
      if (!bare.has(bareHeaderKey(n))) bare.set(bareHeaderKey(n), s);
    }
  }
  const m: HeaderMatch = { byIndex: new Map(), headerOf: new Map(), ignored: [], missing: [], duplicated: [] };
  header.forEach((h, i) => {
    const spec = exact.get(headerKey(h)) ?? bare.get(bareHeaderKey(h));
    if (!spec) {
      if (headerKey(h)) m.ignored.push(h);
      return;
    }
    if (m.headerOf.has(spec.field)) {
      m.duplicated.push(h);
      return;
    }
    m.byIndex.set(i, spec);
    m.headerOf.set(spec.field, h.replace(/^\ufeff/, '').trim());
  });
  for (const s of specs) if (s.required && !m.headerOf.has(s.field)) m.missing.push(s.headers[0]!);
  return m;
}
