import { z } from 'zod';

/**
 * The envelope every event carries, whatever its stream. `observedAt` is when the numbers
 * were true ("as of"); `receivedAt` is when Hải Đăng received them ("as reported on"). A
 * report with the same entity and `observedAt` received later is a correction: it
 * supersedes the earlier one in current state and KPIs, while both stay in raw history.
 */
const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone, e.g. 2022-08-15T07:00:00+07:00' });

/**
 * The instants the tables can hold. Times are stored as DateTime64(3) (1900–2299), but the
 * latest-state view orders by `toUnixTimestamp` and the rollups bucket into `DateTime`, both
 * UInt32 seconds: 1970-01-01T00:00:00Z to 2106-02-07T06:28:15Z. A time outside would pass a
 * looser contract and then make ClickHouse refuse the whole insert (code 407).
 */
export const earliestInstant = '1970-01-01T00:00:00Z';
export const latestInstant = '2106-02-07T06:28:15Z';
const earliestMs = 0;
const latestMs = 4_294_967_295_999;

/** inside the tables' range (true for what is not a date: the format check refuses that); a year strictly between the bounds' years needs no Date (the hot path) */
export function isStorableInstant(iso: string): boolean {
  const year = Number(iso.slice(0, 4));
  if (year > 1970 && year < 2106) return true;
  const ms = Date.parse(iso);
  // not a date at all: the format check says so, once
  return Number.isNaN(ms) || (ms >= earliestMs && ms <= latestMs);
}

const isoInstant = isoDateTime.refine(isStorableInstant, { message: `must be between ${earliestInstant} and ${latestInstant} (what the store's DateTime columns hold)`});

export const envelopeFields = {
  id: z.uuid({ message: 'must be a UUID (UUIDv7 recommended)' }),
  version: z.literal(1, { message: 'unsupported schema version (this build reads version 1)' }),
  source: z.string().min(1).max(128).regex(/^[\w.:@-]+$/, 'letters, digits and . : @ - _ only'),
  entity: z.string().min(1).max(64).regex(/^[\w.-]+$/, 'letters, digits and . - _ only'),
  observedAt: isoInstant,
  receivedAt: isoInstant,
} as const;

/** Builds the strict schema of one stream's event from its payload schema. */
export function eventSchema<S extends string, P extends z.ZodType>(stream: S, payload: P) {
  return z.strictObject({
    ...envelopeFields,
    stream: z.literal(stream, { message: `must be "${stream}" on this topic` }),
    payload,
  });
}

/** The largest count a UInt32 column holds; a larger one would be stored wrapped (2³² + 200 as 200). */
export const maxCount = 4_294_967_295;

/**
 * Counts are whole numbers, never negative, and fit the UInt32 columns that store them;
 * `z.coerce` is never used (it turns "" into 0).
 */
export const count = z.number().int().nonnegative().max(maxCount, { message: `must be at most ${maxCount.toLocaleString('en')} (a UInt32 column)` });
