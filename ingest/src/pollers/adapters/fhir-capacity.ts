import { z } from 'zod';
import { PollerError } from '../poller-error.ts';
import type { AdapterContext, PolledPage, PolledRecord, PollerAdapter, RejectedRecord } from '../polled-page.ts';
import { fieldOf, latestInstant, splitRecords } from '../record-split.ts';

/**
 * Treatment capacity from a hospital system's FHIR R4 server: `MeasureReport` resources of
 * bed capacity, one per facility and reporting period (the shape of HL7's SANER
 * implementation guide, whose population codes are the US CDC/NHSN capacity fields).
 * docs/pollers.md says why MeasureReport rather than one `Location` per bed.
 *
 * Search: `GET [base]/MeasureReport?_lastUpdated=ge<cursor>&_sort=_lastUpdated&_count=<n>`,
 * then `Bundle.link[relation=next]` until there is none (FHIR R4 §3.1.1.3 paging). The
 * bound is inclusive (`ge`): a report updated in the same instant as the cursor is read again
 * rather than missed, and its deterministic event id makes the second read a no-op.
 */

/** NHSN field names (SANER) and our own codes for what the 3-tier plan adds (oxygen). */
const populationCodes = {
  numTotBeds: 'bedsTotal',
  numBedsOcc: 'bedsOccupied',
  numICUBeds: 'icuBedsTotal',
  numICUBedsOcc: 'icuBedsOccupied',
  numVent: 'ventilatorsTotal',
  numVentUse: 'ventilatorsInUse',
  numO2Beds: 'oxygenBedsTotal',
  numO2BedsOcc: 'oxygenBedsOccupied',
  numO2Mask: 'mask',
  numO2HFNC: 'hfnc',
  numO2NIV: 'niv',
  numO2Invasive: 'invasive',
  numO2ECMO: 'ecmo',
  o2StockLitres: 'oxygenStockLitres',
  numStaffOnDuty: 'staffOnDuty',
} as const;
type Field = (typeof populationCodes)[keyof typeof populationCodes];
const optional = new Set<Field>(['staffOnDuty']);

const coding = z.looseObject({ system: z.string().optional(), code: z.string() });
const codeable = z.looseObject({ coding: z.array(coding).min(1) });

// FHIR resources carry many elements we do not read: loose objects, strict about what we use
const measureReport = z.looseObject({
  resourceType: z.literal('MeasureReport'),
  id: z.string().min(1),
  meta: z.looseObject({ versionId: z.string().optional(), lastUpdated: z.iso.datetime({ offset: true }) }),
  status: z.enum(['complete', 'pending', 'error']),
  subject: z.looseObject({ reference: z.string().optional(), identifier: z.looseObject({ value: z.string() }).optional() }),
  period: z.looseObject({ start: z.string().optional(), end: z.iso.datetime({ offset: true }) }),
  group: z.array(z.looseObject({ population: z.array(z.looseObject({ code: codeable, count: z.number().nonnegative() })).default([]) })).min(1),
});
type MeasureReport = z.infer<typeof measureReport>;

const bundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  link: z.array(z.looseObject({ relation: z.string(), url: z.string() })).default([]),
  entry: z.array(z.looseObject({ resource: z.unknown() })).default([]),
});

export class FhirCapacityAdapter implements PollerAdapter {
  readonly stream = 'capacity' as const;
  private readonly tiers: Map<string, 1 | 2 | 3>;

  constructor(private readonly ctx: AdapterContext) {
    this.tiers = new Map(ctx.pack.facilities.map((f) => [f.id, f.tier]));
  }

  async *pages(cursor: string | null): AsyncGenerator<PolledPage> {
    const { spec } = this.ctx;
    const base = spec.baseUrl.replace(/\/$/, '');
    const since = cursor ?? (spec.startDate ? `${spec.startDate}T00:00:00Z` : null);
    let url: string | null = `${base}/MeasureReport?${new URLSearchParams({ ...(since ? { _lastUpdated: `ge${since}` } : {}), _sort: '_lastUpdated', _count: String(spec.pageSize) })}`;
    while (url) {
      const parsed = bundle.safeParse(await this.ctx.http.getJson(url, 'application/fhir+json'));
      if (!parsed.success) throw new PollerError('HD_POLLER_MALFORMED_PAGE', `${spec.name}: ${url} is not a FHIR Bundle: ${parsed.error.issues[0]?.message}`, { url });
      const resources = parsed.data.entry.map((e) => e.resource);
      const { records, rejected } = splitRecords(resources, measureReport, (r, i) => `MeasureReport/${fieldOf(r, 'id') ?? `#${i}`}`, (r) => this.toRecord(r));
      // a rejected report moves the cursor too: its correction upstream gets a later lastUpdated
      yield { records, rejected, cursor: latestInstant(resources.map(lastUpdatedOf)) };
      url = this.nextLink(parsed.data.link, base);
    }
  }

  /** only links on the configured server are followed: the bearer token must not leave it */
  private nextLink(links: Array<{ relation: string; url: string }>, base: string): string | null {
    const next = links.find((l) => l.relation === 'next')?.url;
    if (!next) return null;
    const resolved = new URL(next, `${base}/`);
    if (resolved.origin !== new URL(base).origin) throw new PollerError('HD_POLLER_MALFORMED_PAGE', `${this.ctx.spec.name}: next link ${resolved.origin} leaves ${new URL(base).origin}`, { next });
    return resolved.href;
  }

  private toRecord(r: MeasureReport): PolledRecord | RejectedRecord {
    const ref = `MeasureReport/${r.id}`;
    if (r.status !== 'complete') return { ref, reason: `status is "${r.status}", only complete reports are counts` };
    const facility = r.subject.identifier?.value ?? r.subject.reference?.replace(/^Location\//, '');
    const tier = facility ? this.tiers.get(facility) : undefined;
    if (!facility || !tier) return { ref, reason: `subject ${facility ?? '(none)'} is not a facility of the city pack` };
    const values = new Map<Field, number>();
    for (const g of r.group)
      for (const p of g.population)
        for (const c of p.code.coding) {
          const field = (populationCodes as Record<string, Field>)[c.code];
          if (field) values.set(field, p.count);
        }
    const missing = Object.entries(populationCodes).filter(([, f]) => !optional.has(f) && !values.has(f)).map(([code]) => code);
    if (missing.length) return { ref, reason: `population codes missing: ${missing.join(', ')}` };
    const v = (f: Field) => values.get(f)!;
    return {
      upstreamId: ref,
      version: r.meta.versionId ?? r.meta.lastUpdated,
      entity: facility,
      observedAt: r.period.end,
      payload: {
        tier,
        bedsTotal: v('bedsTotal'),
        bedsOccupied: v('bedsOccupied'),
        oxygenBedsTotal: v('oxygenBedsTotal'),
        oxygenBedsOccupied: v('oxygenBedsOccupied'),
        patientsBySupport: { mask: v('mask'), hfnc: v('hfnc'), niv: v('niv'), invasive: v('invasive'), ecmo: v('ecmo') },
        icuBedsTotal: v('icuBedsTotal'),
        icuBedsOccupied: v('icuBedsOccupied'),
        ventilatorsTotal: v('ventilatorsTotal'),
        ventilatorsInUse: v('ventilatorsInUse'),
        oxygenStockLitres: v('oxygenStockLitres'),
        ...(values.has('staffOnDuty') ? { staffOnDuty: v('staffOnDuty') } : {}),
      },
    };
  }
}

function lastUpdatedOf(resource: unknown): string | undefined {
  const meta = resource && typeof resource === 'object' ? (resource as { meta?: unknown }).meta : undefined;
  return fieldOf(meta, 'lastUpdated');
}
