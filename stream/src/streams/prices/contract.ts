import { z } from 'zod';
import { oneLineText } from '../../contracts/plain-text.ts';
import { eventSchema } from '../../contracts/envelope.ts';

/** Price of one essential commodity at one market, in whole Vietnamese đồng per unit. */
export const pricePayload = z.strictObject({
  commodity: z.string().min(1).max(64).regex(/^[\w.-]+$/),
  unit: oneLineText(16),
  priceVnd: z.number().int().positive().max(1_000_000_000),
  /** the market reported that it could not get enough of this commodity */
  shortage: z.boolean().optional(),
});

export const priceEvent = eventSchema('prices', pricePayload);
export type PriceEvent = z.infer<typeof priceEvent>;
