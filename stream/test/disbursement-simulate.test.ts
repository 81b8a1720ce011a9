import { describe, expect, it } from 'vitest';
import { createRng } from '../../ingest/src/simulator/prng.ts';
import { disbursementPayload } from '../src/streams/disbursement/contract.ts';
import { disbursementPattern, planMonths, typicalCumulativeShare, typicalShareAt, type LocalDate, type PlannedProject, type RandomSource } from '../src/streams/disbursement/simulate.ts';

/** a seeded uniform source per label, the simulator's own (ingest's createRng, forked by label) */
const seeded =
  (seed: number): RandomSource =>
  (label) => {
    const rng = createRng(seed, label);
    return () => rng.next();
  };

const ty = 1_000_000_000;
const projects: PlannedProject[] = Array.from({ length: 40 }, (_, i) => ({ id: `da-${i}`, capitalPlanVnd: (10 + ((i * 37) % 190)) * ty, planYear: 2022 }));

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const closing = (y: number, m: number): LocalDate => ({ year: y, month: m, day: lastDay(y, m), minuteOfDay: 17 * 60 });

/** the closing reports of plan year 2022, month by month (Jan 2022 … Jan 2023), from a fresh model that starts on 1 Jan 2022 */
function year2022(seed: number) {
  const model = disbursementPattern(projects, seeded(seed));
  model.step({ stepMinutes: 60, local: { year: 2022, month: 1, day: 1, minuteOfDay: 60 } });
  const months: Array<ReturnType<typeof model.step>> = [];
  for (let k = 1; k <= planMonths; k++) {
    const d = k === 13 ? closing(2023, 1) : closing(2022, k);
    months.push(model.step({ stepMinutes: 60, local: d }).filter((r) => r.payload.planYear === 2022));
  }
  return months;
}

const cityRate = (reports: Array<{ payload: { disbursedToDateVnd: number; capitalPlanVnd: number } }>) =>
  reports.reduce((a, r) => a + r.payload.disbursedToDateVnd, 0) / reports.reduce((a, r) => a + r.payload.capitalPlanVnd, 0);

describe('the typical Vietnamese disbursement year', () => {
  it('climbs every month, is low in the first quarter, rushes in November–December and ends at 95% with the January extension', () => {
    for (let i = 1; i < typicalCumulativeShare.length; i++) expect(typicalCumulativeShare[i]).toBeGreaterThan(typicalCumulativeShare[i - 1]!);
    expect(typicalShareAt(3)).toBeLessThanOrEqual(0.15);
    const monthly = typicalCumulativeShare.map((v, i) => v - (i === 0 ? 0 : typicalCumulativeShare[i - 1]!));
    // December is the largest month, November the second of the calendar year
    expect(Math.max(...monthly)).toBe(monthly[11]);
    expect([...monthly.slice(0, 10)].every((m) => m < monthly[10]!)).toBe(true);
    expect(monthly[12]).toBeGreaterThan(0);
    expect(typicalShareAt(13)).toBe(0.95);
    expect(typicalShareAt(7.5)).toBeCloseTo((typicalCumulativeShare[6]! + typicalCumulativeShare[7]!) / 2, 10);
  });
});

describe('the simulated projects of a city', () => {
  const months = year2022(20220130);

  it('report every project once a month for the plan year, January of the next year included, each report passing the contract', () => {
    expect(months.map((m) => m.length)).toEqual(Array(planMonths).fill(projects.length));
    expect(months.map((m) => m[0]!.payload.month)).toEqual([...Array.from({ length: 12 }, (_, i) => `2022-${String(i + 1).padStart(2, '0')}`), '2023-01']);
    for (const m of months) for (const r of m) expect(disbursementPayload.safeParse(r.payload).error?.issues ?? []).toEqual([]);
  });

  it('follow the typical path city-wide: low in Q1, the year-end rush, about 90–100% by the extension', () => {
    const rates = months.map(cityRate);
    expect(rates[2]).toBeLessThan(0.15);
    for (let k = 0; k < planMonths; k++) expect(Math.abs(rates[k]! - typicalCumulativeShare[k]!), `month ${k + 1}`).toBeLessThan(0.1);
    expect(rates[11]! - rates[9]!).toBeGreaterThan(0.2);
    expect(rates[12]).toBeGreaterThan(0.85);
    expect(rates[12]).toBeLessThanOrEqual(1);
  });

  it('pay in whole millions, each month what the total grew by, never more than the plan', () => {
    for (const p of projects) {
      let before = 0;
      for (const m of months) {
        const r = m.find((x) => x.entity === p.id)!.payload;
        expect(r.disbursedToDateVnd % 1_000_000).toBe(0);
        expect(r.disbursedMonthVnd).toBe(r.disbursedToDateVnd - before);
        expect(r.disbursedToDateVnd).toBeLessThanOrEqual(r.capitalPlanVnd);
        before = r.disbursedToDateVnd;
      }
    }
  });

  it('leave some projects behind schedule, but not most', () => {
    const september = months[8]!;
    const behind = september.filter((r) => r.payload.behindSchedule);
    expect(behind.length).toBeGreaterThan(0);
    expect(behind.length).toBeLessThan(projects.length / 2);
    // a project flagged behind is below the typical path by more than the gap
    for (const r of behind) expect(r.payload.disbursedToDateVnd / r.payload.capitalPlanVnd).toBeLessThan(typicalCumulativeShare[8]! - 0.1);
  });

  it('are the same for the same seed, and differ for another', () => {
    expect(year2022(20220130)).toEqual(months);
    expect(year2022(7)).not.toEqual(months);
  });
});

describe('when the model reports', () => {
  it('at its first step (the month to date) and then only at 17:00 on the last day of a month; in January for two plan years', () => {
    const model = disbursementPattern(projects.slice(0, 2), seeded(1));
    const first = model.step({ stepMinutes: 15, local: { year: 2023, month: 1, day: 10, minuteOfDay: 600 } });
    expect(first.map((r) => [r.entity, r.payload.planYear, r.payload.month])).toEqual([
      ['da-0', 2022, '2023-01'],
      ['da-1', 2022, '2023-01'],
      ['da-0', 2023, '2023-01'],
      ['da-1', 2023, '2023-01'],
    ]);
    expect(model.step({ stepMinutes: 15, local: { year: 2023, month: 1, day: 10, minuteOfDay: 615 } })).toEqual([]);
    expect(model.step({ stepMinutes: 15, local: { year: 2023, month: 2, day: 28, minuteOfDay: 16 * 60 + 45 } })).toEqual([]);
    const february = model.step({ stepMinutes: 15, local: { year: 2023, month: 2, day: 28, minuteOfDay: 17 * 60 } });
    expect(february.map((r) => [r.payload.planYear, r.payload.month])).toEqual([
      [2023, '2023-02'],
      [2023, '2023-02'],
    ]);
  });
});
