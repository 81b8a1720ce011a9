import { z } from 'zod';

/**
 * The envelope every event carries, whatever its stream. `observedAt` is when the numbers
 * were true ("as of"); `receivedAt` is when Hải Đăng received them ("as reported on"). A
 * report with the same entity and `observedAt` received later is a correction: it
 * supersedes the earlier one in current state and KPIs, while both stay in raw history.
 */
const isoInstant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a zone, e.g. 2022-08-15T07:00:00+07:00' });

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

/** Counts are whole numbers, never negative; `z.coerce` is never used (it turns "" into 0). */
export const count = z.number().int().nonnegative();
