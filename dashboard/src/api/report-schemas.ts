import { z } from 'zod';

/** what the evaluation report preview answers (api/src/reports/routes.ts, GET /reports/evaluation/preview) */
const nn = z.number().nullable();
const label = z.object({ vi: z.string(), en: z.string() });
export const reportPreview = z.object({
  report: z.string().nullable(),
  title: z.string(),
  timezone: z.string(),
  from: z.string(),
  to: z.string(),
  firstDay: z.string(),
  lastDay: z.string(),
  results: z.array(
    z.object({
      kpi: z.string(),
      name: label,
      unit: z.string(),
      series: z.string(),
      actual: nn,
      target: nn,
      direction: z.string(),
      met: z.boolean().nullable(),
      trend: z.string(),
      opening: z.object({ doses: z.number(), asOf: z.string(), origin: z.enum(['pack', 'upload']) }).nullable().optional(),
      population: nn.optional(),
    }),
  ),
  coverage: z.array(z.object({ stream: z.string(), days: z.number(), daysWithData: z.number(), reports: z.number(), missing: z.array(z.object({ from: z.string(), to: z.string() })) })),
  system: z.object({
    streams: z.array(z.object({ stream: z.string(), reports: z.number(), sources: z.number(), onTime: z.number(), medianDelaySeconds: nn, longestGapHours: z.number(), lastReceivedAt: z.string().nullable() })),
    rejections: z.array(z.object({ stream: z.string(), reason: z.string(), count: z.number() })),
    rejectedShare: nn,
    alerts: z.array(z.object({ rule: z.string(), raised: z.number(), acknowledged: z.number(), medianAckSeconds: nn })),
  }),
});
export type ReportPreview = z.infer<typeof reportPreview>;
