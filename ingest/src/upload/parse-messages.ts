import type { DataStreamName } from '@haidang/stream';
import type { IngestErrorCode } from '../push/ingest-error.ts';
import type { SkippedRow } from './report-layout.ts';
import type { Commodity } from '../sources/commodity-names.ts';
import type { RowError } from './row-mapper.ts';
import type { Encoding } from './text-encoding.ts';

/** the sheet of a workbook that was read, and the others, which were not */
export interface ReadSheet {
  name: string;
  why: 'active' | 'first visible';
  others: string[];
}

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
  | { type: 'header'; row: number; columns: string[]; ignored: string[]; encoding?: string; idColumn: string; sheet?: ReadSheet }
  | {
      type: 'batch';
      events: Array<{ id: string; entity: string; observedAt: string }>;
      /** each event's spreadsheet row, and whether its id came from the file's id column (not from its content) */
      eventRows: number[];
      ownIds: boolean[];
      errors: RowError[];
      skipped: SkippedRow[];
      rows: number;
      refusedRows: number;
      /** rows identical to an earlier row of the file (same id, same content): duplicates, not stored twice */
      repeats: number;
    }
  | { type: 'done'; rows: number }
  | { type: 'fail'; code: IngestErrorCode; message: string };
