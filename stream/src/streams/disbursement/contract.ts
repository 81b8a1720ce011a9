import { z } from 'zod';
import { eventSchema } from '../../contracts/envelope.ts';

/**
 * Public-investment disbursement of one project (*giải ngân vốn đầu tư công*), as its owner
 * reports it every month: the year's capital plan (*kế hoạch vốn năm*, after any transfer of
 * capital between projects), what the State Treasury paid out in the month and since the
 * plan year began, and the physical progress of the works. The action plan (III.3.1) asks for
 * this report monthly, with projects behind schedule flagged and capital moved from slow
 * projects to fast ones.
 *
 * A year's plan may be carried out and paid until 31 January of the next year (Law on Public
 * Investment 2019, art. 68), so a plan year's reports run from its January to the next
 * January: `month` is `planYear`-01 … (`planYear`+1)-01, and in January a project reports
 * twice, once per plan year.
 */

/**
 * Largest amount, in đồng: 10¹⁵ (one million billion) is more than the whole country's yearly
 * public-investment plan (about 5.4 × 10¹⁴ in 2022) and fits both the UInt64 column and a JSON
 * number exactly (below 2⁵³).
 */
export const maxVnd = 1_000_000_000_000_000;

const vnd = z
  .number()
  .int({ message: 'must be a whole number of đồng' })
  .nonnegative()
  .max(maxVnd, { message: `must be at most ${maxVnd.toLocaleString('en')} đồng` });

/** a calendar month, YYYY-MM */
const yearMonth = z.string().regex(/^\d{4}-(?:0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM, e.g. 2022-08');

export const earliestPlanYear = 2000;
export const latestPlanYear = 2100;

/** the months a plan year's reports may name: its twelve and the January after (the extension) */
function monthsOfPlanYear(planYear: number): { first: string; last: string } {
  return { first: `${planYear}-01`, last: `${planYear + 1}-01` };
}

export const disbursementPayload = z
  .strictObject({
    /** the year of the capital plan (*năm kế hoạch*) */
    planYear: z.number().int().min(earliestPlanYear).max(latestPlanYear),
    /** the month the figures close (*tháng báo cáo*) */
    month: yearMonth,
    /** the year's capital plan of the project as it stands this month (*kế hoạch vốn năm*) */
    capitalPlanVnd: vnd,
    /** paid out in the month (*giải ngân trong tháng*) */
    disbursedMonthVnd: vnd,
    /** paid out since the plan year began, this month included (*lũy kế giải ngân*) */
    disbursedToDateVnd: vnd,
    /** share of the works done, 0–100 (*khối lượng thực hiện*) */
    physicalProgressPct: z.number().finite().min(0).max(100, { message: 'must be a percentage from 0 to 100' }),
    /** the owner reports the project behind its schedule (*chậm tiến độ*) */
    behindSchedule: z.boolean(),
  })
  .superRefine((p, ctx) => {
    if (p.disbursedMonthVnd > p.disbursedToDateVnd) ctx.addIssue({ code: 'custom', path: ['disbursedMonthVnd'], message: `must not exceed disbursedToDateVnd (${p.disbursedMonthVnd} > ${p.disbursedToDateVnd})` });
    if (p.disbursedToDateVnd > p.capitalPlanVnd) ctx.addIssue({ code: 'custom', path: ['disbursedToDateVnd'], message: `must not exceed capitalPlanVnd: the Treasury pays only within the plan (${p.disbursedToDateVnd} > ${p.capitalPlanVnd})` });
    const { first, last } = monthsOfPlanYear(p.planYear);
    // a malformed month is refused once, by its format
    if (yearMonth.safeParse(p.month).success && (p.month < first || p.month > last)) ctx.addIssue({ code: 'custom', path: ['month'], message: `must lie in plan year ${p.planYear}: ${first} … ${last} (January of the next year is the extension)` });
  });

export type DisbursementPayload = z.infer<typeof disbursementPayload>;

export const disbursementEvent = eventSchema('disbursement', disbursementPayload);

/** the disbursement rate of a report: paid to date / the year's plan (null for a project with no plan this year) */
export function disbursementRate(p: Pick<DisbursementPayload, 'disbursedToDateVnd' | 'capitalPlanVnd'>): number | null {
  return p.capitalPlanVnd > 0 ? p.disbursedToDateVnd / p.capitalPlanVnd : null;
}
