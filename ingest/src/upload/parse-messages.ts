import type { DataStreamName } from '@haidang/stream';
import type { IngestErrorCode } from '../push/ingest-error.ts';
import type { SkippedRow } from './report-layout.ts';
import type { Commodity, RowError } from './row-mapper.ts';
import type { Encoding } from './text-encoding.ts';

/** what the upload route gives the parse worker */
export interface ParseJobData {
  kind: 'csv' | 'xlsx';
  stream: DataStreamName;
  source: string;
  receivedAt: string;
  allowed: string[];
  commodities: Commodity[];
  maxRows: number;
  maxColumns: number;
  maxXlsxEntries: number;
  maxXlsxInflatedBytes: number;
  batchRows: number;
  /** a CSV's encoding as the form field `encoding` names it (a byte order mark still decides) */
  encoding?: Encoding;
}

export type ToWorker = { type: 'chunk'; data: Uint8Array } | { type: 'end' } | { type: 'file'; data: Uint8Array };

export type FromWorker =
  | { type: 'header'; row: number; columns: string[]; ignored: string[]; encoding?: string }
  | { type: 'batch'; events: Array<{ id: string; entity: string; observedAt: string }>; errors: RowError[]; skipped: SkippedRow[]; rows: number; refusedRows: number }
  | { type: 'done'; rows: number }
  | { type: 'fail'; code: IngestErrorCode; message: string };
