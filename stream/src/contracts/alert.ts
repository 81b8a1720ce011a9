import { z } from 'zod';
import { eventSchema } from './envelope.ts';

export const severities = ['info', 'warning', 'critical'] as const;

/** An alert raised (or cleared) by a rule; `entity` is what it is about. */
export const alertPayload = z.strictObject({
  ruleId: z.string().min(1).max(64),
  episodeId: z.uuid(),
  state: z.enum(['firing', 'resolved']),
  severity: z.enum(severities),
  metric: z.string().min(1).max(64),
  value: z.number().finite(),
  threshold: z.number().finite(),
  message: z.strictObject({ vi: z.string().max(500), en: z.string().max(500) }),
});

export const alertEvent = eventSchema('alerts', alertPayload);
export type AlertEvent = z.infer<typeof alertEvent>;
