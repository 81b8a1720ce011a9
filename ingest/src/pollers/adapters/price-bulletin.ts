import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { addDays, localDay, localMidnight } from '../local-day.ts';
import { PollerError } from '../poller-error.ts';
import type { AdapterContext, PolledPage, PollerAdapter } from '../polled-page.ts';
import { splitRecords } from '../record-split.ts';

/**
 * Price bulletins: one CSV per local day, `GET [base]/bulletins/<YYYY-MM-DD>.csv`, with the
 * header `market,commodity,unit,price_vnd,shortage` (prices in whole đồng). 404 means that
 * day's bulletin is not out yet. The cursor is the last day read; that day is read again on
 * the next run because a bulletin may be revised the same day: a changed price is a new
 * event id (the content decides) and, same market/commodity/day, a correction.
 */
const priceRow = z.strictObject({
  market: z.string().min(1),
  commodity: z.string().min(1),
  unit: z.string().min(1),
  // CSV cells are text: digits only, no coercion of "" or "12,5"
  price_vnd: z.string().regex(/^\d+$/, 'whole đồng, digits only').transform(Number),
  shortage: z.enum(['', 'true', 'false']).optional(),
});

/** at most this many days are read in one run, so a long outage catches up in steps */
const maxDaysPerRun = 31;

export class PriceBulletinAdapter implements PollerAdapter {
  readonly stream = 'prices' as const;
  private readonly markets: Set<string>;
  private readonly commodities: Set<string>;
  constructor(private readonly ctx: AdapterContext) {
    this.markets = new Set(ctx.pack.markets.map((m) => m.id));
    this.commodities = new Set(ctx.pack.commodities.map((c) => c.id));
  }

  async *pages(cursor: string | null): AsyncGenerator<PolledPage> {
    const { spec, pack } = this.ctx;
    const tz = pack.manifest.timezone;
    const today = localDay(this.ctx.now(), tz);
    let day = cursor ?? spec.startDate ?? today;
    for (let n = 0; n < maxDaysPerRun && day <= today; n++, day = addDays(day, 1)) {
      const url = `${spec.baseUrl.replace(/\/$/, '')}/bulletins/${day}.csv`;
      const text = await this.ctx.http.getText(url, 'text/csv', true);
      if (text === null) {
        // today's bulletin may not be out yet; a missing past day is skipped, not waited for
        if (day === today) return;
        yield { records: [], rejected: [{ ref: url, reason: 'no bulletin for this day (404)' }], cursor: day };
        continue;
      }
      let rows: unknown[];
      try {
        rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true });
      } catch (e) {
        throw new PollerError('HD_POLLER_MALFORMED_PAGE', `${spec.name}: ${url} is not CSV: ${(e as Error).message}`, { url }, { cause: e });
      }
      const observedAt = localMidnight(day, tz);
      const { records, rejected } = splitRecords(rows, priceRow, (_, i) => `${day}.csv line ${i + 2}`, (r) => {
        const upstreamId = `bulletins/${day}/${r.market}/${r.commodity}`;
        if (!this.markets.has(r.market)) return { ref: upstreamId, reason: `market ${r.market} is not in the city pack` };
        // as a push or an upload: a commodity the pack does not list has no name, unit or baseline on the dashboard
        if (!this.commodities.has(r.commodity)) return { ref: upstreamId, reason: `commodity ${r.commodity} is not in the city pack (${[...this.commodities].join(', ')})` };
        const shortage = r.shortage === 'true' ? true : r.shortage === 'false' ? false : undefined;
        return {
          upstreamId,
          version: createHash('sha256').update(`${r.unit}\n${r.price_vnd}\n${String(shortage)}`).digest('hex').slice(0, 16),
          entity: r.market,
          observedAt,
          payload: { commodity: r.commodity, unit: r.unit, priceVnd: r.price_vnd, ...(shortage === undefined ? {} : { shortage }) },
        };
      });
      yield { records, rejected, cursor: day };
    }
  }
}
