import { z } from 'zod';
import { PollerError } from '../poller-error.ts';
import type { AdapterContext, PolledPage, PolledRecord, RejectedRecord } from '../polled-page.ts';
import { fieldOf, latestInstant, splitRecords } from '../record-split.ts';

/**
 * A paged JSON export of rows changed since an instant, the shape both the immunisation
 * registry's export and the public-service portal's statistics use:
 * `GET [base]/<path>?updatedSince=<iso>&page=<n>&pageSize=<k>` →
 * `{ items: [...], page: n, pageCount: m }`, every item with an `updatedAt`.
 * `updatedSince` is inclusive, so rows updated in the cursor's instant are read again, not
 * missed; their deterministic event ids make that harmless.
 */
const exportPage = z.looseObject({
  items: z.array(z.unknown()),
  page: z.number().int().min(1),
  pageCount: z.number().int().min(0),
});

export async function* pagedExport<T>(
  ctx: AdapterContext,
  path: string,
  cursor: string | null,
  item: z.ZodType<T>,
  toRecord: (item: T) => PolledRecord | RejectedRecord,
): AsyncGenerator<PolledPage> {
  const { spec } = ctx;
  const since = cursor ?? (spec.startDate ? `${spec.startDate}T00:00:00Z` : '1970-01-01T00:00:00Z');
  const base = spec.baseUrl.replace(/\/$/, '');
  for (let page = 1; ; page++) {
    const url = `${base}/${path}?${new URLSearchParams({ updatedSince: since, page: String(page), pageSize: String(spec.pageSize) })}`;
    const parsed = exportPage.safeParse(await ctx.http.getJson(url));
    if (!parsed.success) throw new PollerError('HD_POLLER_MALFORMED_PAGE', `${spec.name}: ${url} is not an export page: ${parsed.error.issues[0]?.message}`, { url });
    const { items, pageCount } = parsed.data;
    const { records, rejected } = splitRecords(items, item, (x, i) => `${path} page ${page} item ${fieldOf(x, 'id') ?? i}`, toRecord);
    yield { records, rejected, cursor: latestInstant(items.map((x) => fieldOf(x, 'updatedAt'))) };
    if (page >= pageCount || items.length === 0) return;
  }
}
