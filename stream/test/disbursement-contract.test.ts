import { describe, expect, it } from 'vitest';
import { disbursementEvent, disbursementPayload, disbursementRate, maxVnd } from '../src/streams/disbursement/contract.ts';

const ty = 1_000_000_000;
const good = { planYear: 2022, month: '2022-08', capitalPlanVnd: 120 * ty, disbursedMonthVnd: 6 * ty, disbursedToDateVnd: 48 * ty, physicalProgressPct: 52.5, behindSchedule: false };
const issues = (p: unknown) => (disbursementPayload.safeParse(p).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('the disbursement contract', () => {
  it('takes a monthly report of a project', () => {
    expect(issues(good)).toEqual([]);
    expect(disbursementRate(good)).toBe(0.4);
    expect(disbursementRate({ ...good, capitalPlanVnd: 0, disbursedToDateVnd: 0 })).toBeNull();
  });

  it('takes January of the next year for the plan year (the extension), and refuses months outside the plan year', () => {
    expect(issues({ ...good, month: '2023-01' })).toEqual([]);
    expect(issues({ ...good, month: '2023-02' })).toEqual(['month: must lie in plan year 2022: 2022-01 … 2023-01 (January of the next year is the extension)']);
    expect(issues({ ...good, month: '2021-12' })).toHaveLength(1);
  });

  it('refuses a month not written YYYY-MM', () => {
    for (const month of ['08/2022', '2022-8', '2022-13', '2022-00', '2022-08-01']) expect(issues({ ...good, month }), month).toEqual(['month: must be a month as YYYY-MM, e.g. 2022-08']);
  });

  it('bounds amounts by what the UInt64 column and a JSON number hold exactly, whole đồng, never negative', () => {
    expect(maxVnd).toBeLessThan(Number.MAX_SAFE_INTEGER);
    expect(issues({ ...good, capitalPlanVnd: maxVnd, disbursedToDateVnd: maxVnd, disbursedMonthVnd: 0 })).toEqual([]);
    expect(issues({ ...good, capitalPlanVnd: maxVnd + 1 })[0]).toMatch(/^capitalPlanVnd: must be at most 1,000,000,000,000,000 đồng/);
    expect(issues({ ...good, disbursedMonthVnd: 1.5 })).toEqual(['disbursedMonthVnd: must be a whole number of đồng']);
    expect(issues({ ...good, disbursedMonthVnd: -1 })).toHaveLength(1);
  });

  it('bounds physical progress to 0–100 %', () => {
    expect(issues({ ...good, physicalProgressPct: 100 })).toEqual([]);
    expect(issues({ ...good, physicalProgressPct: 0 })).toEqual([]);
    expect(issues({ ...good, physicalProgressPct: 100.1 })).toEqual(['physicalProgressPct: must be a percentage from 0 to 100']);
    expect(issues({ ...good, physicalProgressPct: -0.1 })).toHaveLength(1);
  });

  it('refuses a month paying more than the total to date, and a total beyond the plan', () => {
    expect(issues({ ...good, disbursedMonthVnd: 50 * ty })).toEqual([`disbursedMonthVnd: must not exceed disbursedToDateVnd (${50 * ty} > ${48 * ty})`]);
    expect(issues({ ...good, disbursedToDateVnd: 130 * ty })).toEqual([`disbursedToDateVnd: must not exceed capitalPlanVnd: the Treasury pays only within the plan (${130 * ty} > ${120 * ty})`]);
  });

  it('needs the behind-schedule flag as a boolean, and no unknown field', () => {
    const { behindSchedule: _, ...without } = good;
    expect(issues(without)).toHaveLength(1);
    expect(issues({ ...good, behindSchedule: 'có' })).toHaveLength(1);
    expect(issues({ ...good, note: 'x' })).toHaveLength(1);
  });

  it('is one stream of the envelope', () => {
    const event = { id: '0190f5d2-8a5e-7c3b-9f1e-2b7c8d9e0f1a', version: 1, source: 'ban-qlda', entity: 'da-ke-long-son', observedAt: '2022-08-31T17:00:00+07:00', receivedAt: '2022-09-05T08:00:00+07:00', stream: 'disbursement', payload: good };
    expect(disbursementEvent.safeParse(event).success).toBe(true);
    expect(disbursementEvent.safeParse({ ...event, stream: 'dossiers' }).success).toBe(false);
  });
});
