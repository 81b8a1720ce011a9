import { z } from 'zod';
import { addDays, localMidnight } from '../local-day.ts';
import type { AdapterContext, PolledPage, PollerAdapter } from '../polled-page.ts';
import { pagedExport } from './paged-export.ts';

/**
 * Dossier statistics from the public-service portal (*Cổng dịch vụ công*): per agency and
 * local day, dossiers received, received online, resolved (on time, late) and paid online
 * (`GET [base]/dossier-statistics`, paged, see paged-export.ts). Upstream has no row id:
 * agency, day and procedure identify a row and `updatedAt` versions it.
 */
const statRow = z.looseObject({
  agencyCode: z.string().min(1),
  date: z.iso.date(),
  procedureCode: z.string().min(1).optional(),
  received: z.number().int().nonnegative(),
  receivedOnline: z.number().int().nonnegative(),
  resolved: z.number().int().nonnegative(),
  resolvedOnTime: z.number().int().nonnegative(),
  resolvedLate: z.number().int().nonnegative(),
  paidOnline: z.number().int().nonnegative(),
  updatedAt: z.iso.datetime({ offset: true }),
});

export class DossierStatsAdapter implements PollerAdapter {
  readonly stream = 'dossiers' as const;
  private readonly agencies: Set<string>;
  constructor(private readonly ctx: AdapterContext) {
    this.agencies = new Set(ctx.pack.agencies.map((a) => a.id));
  }

  pages(cursor: string | null): AsyncGenerator<PolledPage> {
    const tz = this.ctx.pack.manifest.timezone;
    return pagedExport(this.ctx, 'dossier-statistics', cursor, statRow, (r) => {
      const upstreamId = `dossier-statistics/${r.agencyCode}/${r.date}/${r.procedureCode ?? '*'}`;
      if (!this.agencies.has(r.agencyCode)) return { ref: upstreamId, reason: `agency ${r.agencyCode} is not in the city pack` };
      const { received, receivedOnline, resolved, resolvedOnTime, resolvedLate, paidOnline } = r;
      return {
        upstreamId,
        version: r.updatedAt,
        entity: r.agencyCode,
        observedAt: localMidnight(addDays(r.date, 1), tz),
        payload: { ...(r.procedureCode ? { procedure: r.procedureCode } : {}), received, receivedOnline, resolved, resolvedOnTime, resolvedLate, paidOnline },
      };
    });
  }
}
