import { z } from 'zod';
import { oneLineText } from '../../contracts/plain-text.ts';
import { count, eventSchema } from '../../contracts/envelope.ts';

/** Age groups as the national campaign reported them. */
export const ageGroups = ['5-11', '12-17', '18-49', '50-64', '65+'] as const;

/**
 * Doses given in one ward during the reporting interval that ends at `observedAt`, for one
 * dose number, vaccine and age group. A correction (same ward, `observedAt` and dimensions)
 * replaces the earlier count; coverage sums the corrected counts against the ward population.
 */
export const vaccinationPayload = z.strictObject({
  doseNumber: z.number().int().min(1).max(5),
  vaccine: oneLineText(64),
  ageGroup: z.enum(ageGroups),
  doses: count,
  /** pushed to the National Immunization Information System */
  pushedToNiis: z.boolean().optional(),
});

export const vaccinationEvent = eventSchema('vaccination', vaccinationPayload);
export type VaccinationEvent = z.infer<typeof vaccinationEvent>;
