import type { AlertEvent } from '../contracts/alert.ts';
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

/**
 * Columns of alerts_raw after the envelope, as migration 0001 declares them (a test compares
 * every raw table's columns with these lists, so the DDL and the encoding cannot drift).
 */
const alertColumns: ReadonlyArray<Column<AlertEvent['payload']>> = [
  ['rule_id', 'LowCardinality(String)', (p) => p.ruleId],
  ['episode_id', 'UUID', (p) => p.episodeId],
  ['state', 'LowCardinality(String)', (p) => p.state],
  ['severity', 'LowCardinality(String)', (p) => p.severity],
  ['metric', 'LowCardinality(String)', (p) => p.metric],
  ['value', 'Float64', (p) => p.value],
  ['threshold', 'Float64', (p) => p.threshold],
  ['message_vi', 'String', (p) => p.message.vi],
  ['message_en', 'String', (p) => p.message.en],
];

type AnyColumn = Column<AnyEvent['payload']>;
const payloadColumns = { ...streamTables, alerts: { columns: alertColumns } } as unknown as Record<StreamName, { columns: readonly AnyColumn[] }>;
/** per stream, the payload readers alone: the hot loop below walks a plain array of functions */
const readers = Object.fromEntries(Object.entries(payloadColumns).map(([s, t]) => [s, t.columns.map(([, , read]) => read)])) as Record<StreamName, Array<AnyColumn[2]>>;

/** the columns a stream's raw-table line fills, in line order (the rest take their defaults) */
export function rawColumns(stream: StreamName): string[] {
  return [...envelopeColumns.map(([n]) => n), ...payloadColumns[stream].columns.map(([n]) => n)];
}

/** a valid event → its line (TabSeparated) in its stream's raw table, no intermediate object */
export function eventLine(e: AnyEvent, at: LogPosition): string {
  // envelope fields in envelopeColumns' order; id, times, numbers and offsets never need escaping
  let line = `${e.id}\t${tsvField(e.source)}\t${tsvField(e.entity)}\t${chTime(e.observedAt)}\t${chTime(e.receivedAt)}\t${e.version}\t${at.partition}\t${at.offset}`;
  const payload = e.payload;
  for (const read of readers[e.stream]) line += '\t' + tsvField(read(payload));
  return line;
}

export const deadLetterColumns = ['id', 'topic', 'log_partition', 'log_offset', 'key', 'reason', 'field', 'message', 'event_id', 'source', 'raw', 'dead_at'];

export function deadLetterLine(d: DeadLetter): string {
  return tsvLine([d.id, d.topic, d.partition, d.offset, d.key, d.reason, d.field, d.message.slice(0, 2000), d.eventId, d.source, d.raw, chTime(d.deadAt)]);
}
