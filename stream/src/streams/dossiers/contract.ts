import { z } from 'zod';
import { count, eventSchema } from '../../contracts/envelope.ts';

/**
 * Administrative-procedure dossiers (TTHC) of one agency, optionally one procedure, in the
 * reporting interval ending at `observedAt`. received = online + offline;
 * resolved = onTime + late. The plan's target: 50% of dossiers received and processed online.
 */
export const dossierPayload = z
  .strictObject({
    procedure: z.string().min(1).max(64).regex(/^[\w.-]+$/).optional(),
    received: count,
    receivedOnline: count,
    resolved: count,
    resolvedOnTime: count,
    resolvedLate: count,
    paidOnline: count,
  })
  .superRefine((p, ctx) => {
    if (p.receivedOnline > p.received) ctx.addIssue({ code: 'custom', path: ['receivedOnline'], message: `must not exceed received (${p.receivedOnline} > ${p.received})` });
    if (p.resolvedOnTime + p.resolvedLate !== p.resolved) ctx.addIssue({ code: 'custom', path: ['resolved'], message: `must equal resolvedOnTime + resolvedLate (${p.resolved} ≠ ${p.resolvedOnTime} + ${p.resolvedLate})` });
    if (p.paidOnline > p.received) ctx.addIssue({ code: 'custom', path: ['paidOnline'], message: `must not exceed received (${p.paidOnline} > ${p.received})` });
  });

export const dossierEvent = eventSchema('dossiers', dossierPayload);
export type DossierEvent = z.infer<typeof dossierEvent>;
