import { z } from 'zod';
import { errorCodes, type DeadLetterCode } from '../errors.ts';

/**
 * Why an event could not be stored: the catalogue's codes marked `deadLetter` (stream/src/errors.ts),
 * in its order. Stable codes, documented in docs/contracts.md.
 */
export const deadLetterReasons = Object.entries(errorCodes)
  .filter(([, e]) => 'deadLetter' in e)
  .map(([code]) => code) as [DeadLetterCode, ...DeadLetterCode[]];
export type DeadLetterReason = DeadLetterCode;

/** What the dead-letter topic and table hold for each refused event: the reason and the original bytes. */
export const deadLetter = z.strictObject({
  id: z.uuid(),
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  offset: z.string().regex(/^\d+$/),
  key: z.string().nullable(),
  reason: z.enum(deadLetterReasons),
  field: z.string(),
  message: z.string(),
  eventId: z.string().nullable(),
  source: z.string().nullable(),
  raw: z.string().describe('the original bytes, base64'),
  deadAt: z.iso.datetime({ offset: true }),
});
export type DeadLetter = z.infer<typeof deadLetter>;
