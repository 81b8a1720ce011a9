import { z } from 'zod';
import { envelopeFields } from '../../contracts/envelope.ts';
import { earliestPlanYear, latestPlanYear, maxVnd } from './contract.ts';

const text = z.string().min(1);

/**
 * One public-investment project of the city pack (`projects.json`): the entity the
 * disbursement stream reports about. `capitalPlanVnd` is its plan for `planYear`, the figure
 * the simulator starts from; `simulated` says the record (or `simulatedFields` of it) is ours,
 * `basis` why and `sources` where the rest comes from.
 */
export const projectPlace = z.strictObject({
  id: envelopeFields.entity,
  name: z.strictObject({ vi: text, en: text }),
  kind: z.enum(['road', 'drainage', 'embankment', 'school', 'health', 'resettlement', 'market', 'park']),
  wardCode: envelopeFields.entity,
  owner: z.strictObject({ vi: text, en: text }),
  planYear: z.number().int().min(earliestPlanYear).max(latestPlanYear),
  capitalPlanVnd: z.number().int().positive().max(maxVnd),
  totalInvestmentVnd: z.number().int().positive().max(maxVnd).nullable(),
  simulated: z.boolean(),
  simulatedFields: z.array(text),
  basis: text,
  sources: z.array(text),
});
