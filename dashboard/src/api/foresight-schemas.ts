import { z } from 'zod';

/** the api's answers for foresight: capacity forecast, source health (zod: the wall trusts no shape it did not check) */
const text = z.object({ vi: z.string(), en: z.string() });
const measure = z.object({
  capacity: z.number(),
  current: z.number(),
  points: z.array(z.object({ t: z.string(), value: z.number(), low: z.number(), high: z.number() })),
  timeToFull: z.object({ hours: z.number().nullable(), at: z.string().nullable(), earliestHours: z.number().nullable(), text }),
  method: text,
});
export type MeasureForecast = z.infer<typeof measure>;
export const capacityForecast = z.object({ asOf: z.string(), hours: z.number(), facilities: z.number(), historyHours: z.number(), beds: measure, oxygenBeds: measure });

const accounting = z.object({ received: z.number(), valid: z.number(), stored: z.number(), refused: z.number() });
export const sourceHealthList = z.object({
  at: z.string(),
  sources: z.array(
    z.object({
      source: z.string(),
      kind: z.string(),
      streams: z.array(z.string()),
      lastReceivedAt: z.string().nullable(),
      ageSeconds: z.number().nullable(),
      status: z.enum(['ok', 'late', 'silent']),
      eventsPerHour: z.number(),
      total: accounting,
      last24h: accounting,
      rejectShare24h: z.number().nullable(),
      rejectShare1h: z.number().nullable(),
      topReasons: z.array(z.object({ reason: z.string(), count: z.number() })),
      flags: z.object({ silent: z.boolean(), late: z.boolean(), rejectJump: z.boolean() }),
    }),
  ),
});
