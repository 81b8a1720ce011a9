
/**
 * Public-investment disbursement per project, month by month, shaped like Vietnam's year:
 * little is paid in the first quarter (January pays last year's works and allocates this
 * year's plan, Tết falls in January or February), a steady climb through the summer, the
 * rush of November and December, and the January extension (a year's plan may be paid until
 * 31 January of the next year, Law on Public Investment 2019 art. 68).
 *
 * The typical path is the share of the year's plan paid by the end of each month, read off
 * the national figures: 8.6% after two months of 2022 (Ministry of Finance, 8/3/2022),
 * 18.5% after four months of 2022 and 34.5% after seven (MoF, 5/2023 and 28/7/2022), about
 * 52–75% after eleven (MoF and GSO, 1/12/2022, on different bases) and the Government's aim of
 * 95–100% (Resolution 124/NQ-CP, 15/9/2022). Each project follows it at its own pace; about a
 * quarter are slow (land clearance, procedures) and fall behind.
 */
export const typicalCumulativeShare: readonly number[] = [
  // end of: Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec, Jan (extension)
  0.02, 0.07, 0.12, 0.18, 0.24, 0.3, 0.36, 0.43, 0.51, 0.6, 0.7, 0.88, 0.95,
];

/** months a plan year runs: its twelve and the extension January */
export const planMonths = 13;

/** the typical share paid at `m` months into the plan year (0 = 1 January, 12 = 31 December, 13 = 31 January after), linear within a month */
export function typicalShareAt(m: number): number {
  if (m <= 0) return 0;
  if (m >= planMonths) return typicalCumulativeShare[planMonths - 1]!;
  const whole = Math.floor(m);
  const before = whole === 0 ? 0 : typicalCumulativeShare[whole - 1]!;
  return before + (typicalCumulativeShare[whole]! - before) * (m - whole);
}

/** a project more than this far below the typical path (share of its plan) is reported behind schedule */
const behindScheduleGap = 0.1;
/** share of projects that run slow in a plan year */
const slowShare = 0.25;
/** amounts are paid in whole millions of đồng */
const paymentUnit = 1_000_000;

/** what the pattern needs of a project in the pack */
export interface PlannedProject {
  id: string;
  /** the project's capital plan for `planYear`, in đồng */
  capitalPlanVnd: number;
  planYear: number;
}

interface ProjectYear {
  plan: number;
  pace: number;
  progressStart: number;
  progressEnd: number;
  /** multiplicative noise of each month end's cumulative share */
  noise: number[];
}

/** a seeded uniform source in [0, 1) per label (the simulator's `random`) */
export type RandomSource = (label: string) => () => number;

/**
 * One project's plan year, drawn from its own labelled sequence: the plan (the pack's figure
 * for its year, 0.8–1.2 times it in other years), its pace, its physical progress over the
 * year and a little noise per month.
 */
function projectYear(random: RandomSource, p: PlannedProject, planYear: number): ProjectYear {
  const next = random(`disbursement:${p.id}:${planYear}`);
  const range = (lo: number, hi: number) => lo + (hi - lo) * next();
  // Box–Muller
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const scale = planYear === p.planYear ? 1 : range(0.8, 1.2);
  const plan = Math.round((p.capitalPlanVnd * scale) / paymentUnit) * paymentUnit;
  const slow = next() < slowShare;
  const pace = slow ? range(0.45, 0.8) : Math.min(1.12, Math.max(0.92, 1 + 0.06 * normal()));
  const progressStart = range(0, 60);
  const progressEnd = Math.min(100, progressStart + (100 - progressStart) * range(0.5, 1));
  const noise = Array.from({ length: planMonths }, () => 1 + 0.04 * normal());
  return { plan, pace, progressStart, progressEnd, noise };
}

/** each project's plan years, drawn once per run */
class ProjectYears {
  private readonly years = new Map<string, ProjectYear>();
  constructor(private readonly random: RandomSource) {}
  of(p: PlannedProject, planYear: number): ProjectYear {
    const key = `${p.id}\u0000${planYear}`;
    let y = this.years.get(key);
    if (!y) this.years.set(key, (y = projectYear(this.random, p, planYear)));
    return y;
  }
}

/** the share paid by the end of month `k` (1…13) of a project year: its pace on the typical path, never falling, at most the whole plan */
function shareAtMonthEnd(y: ProjectYear, k: number): number {
  let share = 0;
  for (let i = 1; i <= Math.min(k, planMonths); i++) share = Math.max(share, Math.min(1, typicalCumulativeShare[i - 1]! * y.pace * y.noise[i - 1]!));
  return share;
}

function shareAt(y: ProjectYear, m: number): number {
  if (m <= 0) return 0;
  const whole = Math.min(Math.floor(m), planMonths);
  const before = shareAtMonthEnd(y, whole);
  if (whole >= planMonths) return before;
  return before + (shareAtMonthEnd(y, whole + 1) - before) * (m - whole);
}

const toUnit = (v: number) => Math.round(v / paymentUnit) * paymentUnit;

export interface DisbursementFigures {
  planYear: number;
  month: string;
  capitalPlanVnd: number;
  disbursedMonthVnd: number;
  disbursedToDateVnd: number;
  physicalProgressPct: number;
  behindSchedule: boolean;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A project's report for plan year `planYear` as of `m` months into that year (fractional:
 * 7.5 = mid-August). The month named is the one `m` falls in; what was paid in it is the
 * difference from the end of the month before.
 */
function projectFigures(years: ProjectYears, p: PlannedProject, planYear: number, m: number): DisbursementFigures {
  const y = years.of(p, planYear);
  const monthIndex = Math.min(planMonths, Math.max(1, Math.ceil(m)));
  const toDate = Math.min(y.plan, toUnit(y.plan * shareAt(y, m)));
  const before = Math.min(toDate, toUnit(y.plan * shareAtMonthEnd(y, monthIndex - 1)));
  const year = monthIndex === planMonths ? planYear + 1 : planYear;
  const month = monthIndex === planMonths ? 1 : monthIndex;
  // the works run about a month ahead of payment: a payment follows the acceptance of what was built
  const built = Math.min(1, typicalShareAt(m + 1) * y.pace);
  const progress = y.progressStart + (y.progressEnd - y.progressStart) * built;
  return {
    planYear,
    month: `${year}-${pad2(month)}`,
    capitalPlanVnd: y.plan,
    disbursedMonthVnd: toDate - before,
    disbursedToDateVnd: toDate,
    physicalProgressPct: Math.round(progress * 10) / 10,
    behindSchedule: y.plan > 0 && toDate / y.plan < typicalShareAt(m) - behindScheduleGap,
  };
}

/** local calendar parts of an instant in the city's zone (the simulator's step gives them) */
export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** minutes since local midnight */
  minuteOfDay: number;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** months into plan year `planYear` at a local date (fractional within the month) */
function monthsInto(planYear: number, d: LocalDate): number {
  return (d.year - planYear) * 12 + (d.month - 1) + (d.day - 1 + d.minuteOfDay / 1440) / daysInMonth(d.year, d.month);
}

/** local time of the monthly report: the last day of the month, at the close of the office day */
const reportMinute = 17 * 60;

/** the plan years a report at local date `d` speaks for: this year, and last year's in its extension January */
const planYearsAt = (d: LocalDate): number[] => (d.month === 1 ? [d.year - 1, d.year] : [d.year]);

/** true for the step (ending at `d`, lasting `stepMinutes`) that passes 17:00 on the month's last day */
const closesMonth = (d: LocalDate, stepMinutes: number): boolean => d.day === daysInMonth(d.year, d.month) && (d.minuteOfDay - reportMinute + 1440) % 1440 < stepMinutes;

/**
 * The simulator's model: every project reports its month to date at the first step (so a
 * fresh wall has figures), then at 17:00 local on the last day of every month, once per plan
 * year it is in (twice in January).
 */
export function disbursementPattern(projects: readonly PlannedProject[], random: RandomSource): { step(s: { stepMinutes: number; local: LocalDate }): Array<{ entity: string; payload: DisbursementFigures }> } {
  const years = new ProjectYears(random);
  let first = true;
  return {
    step: ({ stepMinutes, local: d }) => {
      const closing = closesMonth(d, stepMinutes);
      if (!first && !closing) return [];
      first = false;
      // the closing report speaks for the whole month
      const at = (planYear: number) => (closing ? Math.ceil(monthsInto(planYear, d)) : monthsInto(planYear, d));
      return planYearsAt(d).flatMap((planYear) => projects.map((p) => ({ entity: p.id, payload: projectFigures(years, p, planYear, at(planYear)) })));
    },
  };
}
