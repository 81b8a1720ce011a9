import type { z } from 'zod';
import type { PolledRecord, RejectedRecord } from './polled-page.ts';

/**
 * Validates each upstream item on its own, so one bad record on a page is reported while
 * the good records beside it are still published.
 */
export function splitRecords<T>(
  items: readonly unknown[],
  schema: z.ZodType<T>,
  refOf: (item: unknown, index: number) => string,
  toRecord: (item: T) => PolledRecord | RejectedRecord,
): { records: PolledRecord[]; rejected: RejectedRecord[] } {
  const records: PolledRecord[] = [];
  const rejected: RejectedRecord[] = [];
  for (const [i, item] of items.entries()) {
    const r = schema.safeParse(item);
    if (!r.success) {
      const where = r.error.issues.slice(0, 3).map((x) => `${x.path.join('.') || '(record)'}: ${x.message}`).join('; ');
      rejected.push({ ref: refOf(item, i), reason: where });
      continue;
    }
    const mapped = toRecord(r.data);
    if ('reason' in mapped) rejected.push(mapped);
    else records.push(mapped);
  }
  return { records, rejected };
}

/** the latest of ISO instants (cursor candidates), or null */
export function latestInstant(values: ReadonlyArray<string | undefined>): string | null {
  let best: string | null = null;
  for (const v of values) if (v && !Number.isNaN(Date.parse(v)) && (best === null || Date.parse(v) > Date.parse(best))) best = v;
  return best;
}

/** a field of an item that failed validation, for the report (`id` mostly) */
export function fieldOf(item: unknown, field: string): string | undefined {
  const v = item && typeof item === 'object' ? (item as Record<string, unknown>)[field] : undefined;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}
