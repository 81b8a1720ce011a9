import type { DeadLetter } from '../contracts/dead-letter.ts';
import type { AnyEvent, StreamName } from '../contracts/registry.ts';
import { envelopeColumns, streamTables, type Column } from './tables.ts';
import { tsvField, tsvLine } from './tsv.ts';

const isoUtcMillis = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** ISO instant with any offset → ClickHouse's basic UTC format, which needs no best-effort parsing */
export function chTime(iso: string | Date): string {
  // the common case (UTC with milliseconds, as toISOString writes it) without a Date
  if (typeof iso === 'string' && isoUtcMillis.test(iso)) return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return d.toISOString().slice(0, 23).replace('T', ' ');
}

export interface LogPosition {
  partition: number;
  offset: string;
}

type AnyColumn = Column<AnyEvent['payload']>;
const payloadColumns = streamTables as unknown as Record<StreamName, { columns: readonly AnyColumn[] }>;
/** per stream, the payload readers alone: the hot loop below walks a plain array of functions */
const readers = Object.fromEntries(Object.entries(payloadColumns).map(([s, t]) => [s, t.columns.map(([, , read]) => read)])) as Record<StreamName, Array<AnyColumn[2]>>;

/** the columns a stream's raw-table line fills, in line order (the rest take their defaults) */
export function rawColumns(stream: StreamName): string[] {
  return [...envelopeColumns.map(([n]) => n), ...payloadColumns[stream].columns.map(([n]) => n)];
}

/** `name Type, …` of the columns a stream's raw-table line fills (the structure of `format(TabSeparated, …)`) */
export function rawStructure(stream: StreamName): string {
  return [...envelopeColumns.map(([n, t]) => [n, t] as const), ...payloadColumns[stream].columns.map(([n, t]) => [n, t] as const)].map(([n, t]) => `\`${n}\` ${t}`).join(', ');
}

/**
 * What makes two events with one id the same report: every column of the line but the
 * reception time and the log position (a resend is received again, at another offset).
 * The same expression runs over stored rows and over incoming lines, so both sides are
 * read by ClickHouse's own parser and hashed by value.
 */
export function fingerprintSql(stream: StreamName): string {
  const cols = ['source', 'entity', 'observed_at', 'version', ...payloadColumns[stream].columns.map(([n]) => n)];
  // the values hashed as they are, never their text: how a time is written depends on the
  // session's settings (date_time_output_format), and the two sides may run on two sessions
  return `toString(cityHash64(tuple(${cols.map((c) => `\`${c}\``).join(', ')})))`;
}

/** the fields of a line that `fingerprintSql` covers, for comparing two lines of one batch without the store */
export function contentOf(line: string): string {
  const f = line.split('\t');
  f[4] = '';
  f[6] = '';
  f[7] = '';
  return f.join('\t');
}

/** what makes a valid event the report it is (`fingerprintSql`'s fields), as text: two events with one id and equal content are one report sent twice */
export function reportContent(e: AnyEvent): string {
  return contentOf(eventLine(e, { partition: 0, offset: '0' }));
}

/** a valid event → its line (TabSeparated) in its stream's raw table, no intermediate object */
export function eventLine(e: AnyEvent, at: LogPosition): string {
  // envelope fields in envelopeColumns' order; id, times, numbers and offsets never need escaping
  let line = `${e.id}\t${tsvField(e.source)}\t${tsvField(e.entity)}\t${chTime(e.observedAt)}\t${chTime(e.receivedAt)}\t${e.version}\t${at.partition}\t${at.offset}`;
  const payload = e.payload;
  for (const read of readers[e.stream]) line += `\t${tsvField(read(payload))}`;
  return line;
}

export const deadLetterColumns = ['id', 'topic', 'log_partition', 'log_offset', 'key', 'reason', 'field', 'message', 'event_id', 'source', 'raw', 'dead_at'];

export function deadLetterLine(d: DeadLetter): string {
  return tsvLine([d.id, d.topic, d.partition, d.offset, d.key, d.reason, d.field, d.message.slice(0, 2000), d.eventId, d.source, d.raw, chTime(d.deadAt)]);
}
