import { z } from 'zod';

/** Why an event could not be stored. Stable codes, documented in docs/contracts.md. */
export const deadLetterReasons = [
  'HD_EVENT_NOT_JSON',
  'HD_EVENT_INVALID',
  'HD_EVENT_UNSUPPORTED_VERSION',
  'HD_EVENT_WRONG_TOPIC',
  'HD_EVENT_TOO_LARGE',
  'HD_EVENT_REJECTED_BY_STORE',
  'HD_EVENT_NOT_UTF8',
  'HD_EVENT_TOMBSTONE',
  'HD_BATCH_UNKNOWN_CODEC',
  'HD_BATCH_CORRUPT',
  'HD_EVENT_CONFLICTING_ID',
] as const;
export type DeadLetterReason = (typeof deadLetterReasons)[number];

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
