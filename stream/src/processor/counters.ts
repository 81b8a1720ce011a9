import type { DeadLetterReason } from '../contracts/dead-letter.ts';

/** What the processor has done since it started; the api and /metrics read a snapshot. */
export interface ProcessorCounters {
  consumed: number;
  stored: number;
  deadLettered: number;
  /** events skipped because the store already had them (a redelivery after a crash) */
  alreadyStored: number;
  byStream: Record<string, { consumed: number; stored: number; deadLettered: number }>;
  deadLetterReasons: Partial<Record<DeadLetterReason, number>>;
  insertRetries: number;
  /** chunks handled (a partition's share of a fetch, up to maxBatchRows) */
  batches: number;
  /** statements that stored events (chunks of partitions handled side by side share one) */
  inserts: number;
  /** lookups of ids in the store (one for chunks side by side; none for new events when the processor is its store's one writer) */
  idLookups: number;
  lastBatchAt: string | null;
  /** insert latency of the last batch, ms */
  lastInsertMs: number | null;
}

export function emptyCounters(): ProcessorCounters {
  return { consumed: 0, stored: 0, deadLettered: 0, alreadyStored: 0, byStream: {}, deadLetterReasons: {}, insertRetries: 0, batches: 0, inserts: 0, idLookups: 0, lastBatchAt: null, lastInsertMs: null };
}
