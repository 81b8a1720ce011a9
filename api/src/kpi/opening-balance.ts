import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '@haidang/stream';
import type { OpeningBalance } from '@haidang/city';
import { selectRows } from '../state/store-query.ts';
import { isoFromCh } from '../state/time-range.ts';
import type { KpiDefinition } from './definitions.ts';

/** the opening balance in force: the latest admin upload, else the city pack's file */
export interface OpeningBalanceInForce {
  asOf: string;
  doses: OpeningBalance['doses'];
  basis: string;
  origin: 'pack' | 'upload';
  uploadedBy?: string;
  uploadedAt?: string;
}

/** what a cumulative KPI starts from: doses of its cohort before go-live */
export interface KpiOpening {
  doses: number;
  asOf: string;
  origin: 'pack' | 'upload';
  basis: string;
}

/**
 * Doses given before the system went live, per dose and age group. The pack carries one
 * (`opening-balance.json`); an admin replaces it with the registry's figures by upload, kept in
 * `api_kpi_opening_balance` (every upload kept, the latest in force) so the report can say which.
 */
export class OpeningBalances {
  constructor(
    private readonly store: ClickHouseClient,
    private readonly pack: OpeningBalance | undefined,
  ) {}

  async current(): Promise<OpeningBalanceInForce | null> {
    const rows = await selectRows<{ uploaded: string; uploaded_by: string; since: string; basis: string; dose_number: number; age_group: string; doses: string }>(
      this.store,
      `SELECT toString(uploaded_at) AS uploaded, uploaded_by, toString(as_of) AS since, basis, dose_number, age_group, doses
       FROM api_kpi_opening_balance WHERE upload_id = (SELECT argMax(upload_id, uploaded_at) FROM api_kpi_opening_balance) ORDER BY dose_number, age_group`,
    );
    if (rows.length) {
      const r = rows[0]!;
      return {
        asOf: isoFromCh(r.since)!,
        doses: rows.map((x) => ({ doseNumber: Number(x.dose_number), ageGroup: x.age_group as OpeningBalance['doses'][number]['ageGroup'], doses: Number(x.doses) })),
        basis: r.basis,
        origin: 'upload',
        uploadedBy: r.uploaded_by,
        uploadedAt: isoFromCh(r.uploaded)!,
      };
    }
    return this.pack ? { asOf: new Date(this.pack.asOf).toISOString(), doses: this.pack.doses, basis: this.pack.basis, origin: 'pack' } : null;
  }

  async replace(b: Pick<OpeningBalance, 'asOf' | 'doses' | 'basis'>, by: string): Promise<OpeningBalanceInForce> {
    const id = randomUUID();
    const now = new Date();
    await this.store.insert({
      table: 'api_kpi_opening_balance',
      format: 'JSONEachRow',
      values: b.doses.map((d) => ({ upload_id: id, uploaded_at: chTime(now), uploaded_by: by, as_of: chTime(new Date(b.asOf)), basis: b.basis, dose_number: d.doseNumber, age_group: d.ageGroup, doses: d.doses })),
    });
    return { asOf: new Date(b.asOf).toISOString(), doses: b.doses, basis: b.basis, origin: 'upload', uploadedBy: by, uploadedAt: now.toISOString() };
  }
}

/** the cohort's share of an opening balance */
export function openingOf(def: KpiDefinition, balance: OpeningBalanceInForce | null): KpiOpening | null {
  if (!def.cumulative || !def.cohort || !balance) return null;
  const doses = balance.doses.filter((d) => d.doseNumber === def.cohort!.doseNumber && def.cohort!.ageGroups.includes(d.ageGroup)).reduce((a, d) => a + d.doses, 0);
  return { doses, asOf: balance.asOf, origin: balance.origin, basis: balance.basis };
}
