import { z } from 'zod';
import { ageGroups } from '@haidang/stream';
import { addDays, localMidnight } from '../local-day.ts';
import type { AdapterContext, PolledPage, PollerAdapter } from '../polled-page.ts';
import { pagedExport } from './paged-export.ts';

/**
 * Vaccination from an immunisation registry's export of doses per ward and day
 * (`GET [base]/doses`, paged, see paged-export.ts). A row is a count for one local day; the
 * event's `observedAt` is the end of that day in the city's zone (the interval the doses
 * were given in ends there). A re-issued row carries a higher `version`: a new event id,
 * and as a correction (same ward, dimensions and day) it supersedes the first in KPIs.
 */
const doseRow = z.looseObject({
  id: z.string().min(1),
  version: z.number().int().nonnegative(),
  wardCode: z.string().min(1),
  date: z.iso.date(),
  doseNumber: z.number().int().min(1).max(5),
  vaccine: z.string().min(1),
  ageGroup: z.enum(ageGroups),
  doses: z.number().int().nonnegative(),
  pushedToNiis: z.boolean().optional(),
  updatedAt: z.iso.datetime({ offset: true }),
});

export class ImmunisationExportAdapter implements PollerAdapter {
  readonly stream = 'vaccination' as const;
  private readonly wards: Set<string>;
  constructor(private readonly ctx: AdapterContext) {
    this.wards = new Set(ctx.pack.wards.features.map((f) => f.properties.code));
  }

  pages(cursor: string | null): AsyncGenerator<PolledPage> {
    const tz = this.ctx.pack.manifest.timezone;
    return pagedExport(this.ctx, 'doses', cursor, doseRow, (r) => {
      if (!this.wards.has(r.wardCode)) return { ref: `doses/${r.id}`, reason: `ward ${r.wardCode} is not in the city pack` };
      return {
        upstreamId: `doses/${r.id}`,
        version: String(r.version),
        entity: r.wardCode,
        observedAt: localMidnight(addDays(r.date, 1), tz),
        payload: { doseNumber: r.doseNumber, vaccine: r.vaccine, ageGroup: r.ageGroup, doses: r.doses, ...(r.pushedToNiis === undefined ? {} : { pushedToNiis: r.pushedToNiis }) },
      };
    });
  }
}
