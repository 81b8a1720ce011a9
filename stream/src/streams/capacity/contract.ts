import { z } from 'zod';
import { count, eventSchema } from '../../contracts/envelope.ts';

/**
 * Treatment capacity of one facility at one tier of the 3-tier COVID system:
 * tier 1 = home / commune care and mobile stations (mild), tier 2 = COVID hospitals
 * needing oxygen (moderate), tier 3 = intensive care. Oxygen patients are split by
 * support as Vietnam's Ministry of Health reports severe cases.
 */
/**
 * Upper bound on the oxygen a facility holds, in litres of gas: 10⁹ L is about 1,160 m³ of
 * liquid oxygen (1 L of liquid gives ~861 L of gas), some 40 times the largest hospital
 * tank. Anything above is a typo or a unit mix-up, not a stock.
 */
export const maxOxygenStockLitres = 1_000_000_000;

const oxygenSupport = z.strictObject({
  mask: count.describe('mask or nasal cannula'),
  hfnc: count.describe('high-flow nasal cannula'),
  niv: count.describe('non-invasive ventilation'),
  invasive: count.describe('invasive mechanical ventilation'),
  ecmo: count.describe('extracorporeal membrane oxygenation'),
});

/** counts that are part of another: never more than it */
const partsOfWholes = [
  ['bedsOccupied', 'bedsTotal'],
  ['oxygenBedsOccupied', 'oxygenBedsTotal'],
  ['oxygenBedsTotal', 'bedsTotal'],
  ['icuBedsOccupied', 'icuBedsTotal'],
  ['ventilatorsInUse', 'ventilatorsTotal'],
] as const;

export const capacityPayload = z
  .strictObject({
    tier: z.union([z.literal(1), z.literal(2), z.literal(3)], { message: 'must be 1, 2 or 3' }),
    bedsTotal: count,
    bedsOccupied: count,
    oxygenBedsTotal: count,
    oxygenBedsOccupied: count,
    patientsBySupport: oxygenSupport,
    icuBedsTotal: count,
    icuBedsOccupied: count,
    ventilatorsTotal: count,
    ventilatorsInUse: count,
    /** liquid + bottled oxygen on site, in litres of gas */
    oxygenStockLitres: z.number().finite().nonnegative().max(maxOxygenStockLitres, { message: `must be at most ${maxOxygenStockLitres.toLocaleString('en')} litres of gas` }),
    staffOnDuty: count.optional(),
  })
  .superRefine((p, ctx) => {
    for (const [part, whole] of partsOfWholes) {
      if ((p[part] as number) > (p[whole] as number)) {
        ctx.addIssue({ code: 'custom', path: [part], message: `must not exceed ${whole} (${String(p[part])} > ${String(p[whole])})` });
      }
    }
  });

export const capacityEvent = eventSchema('capacity', capacityPayload);
export type CapacityEvent = z.infer<typeof capacityEvent>;
