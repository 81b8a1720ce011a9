import { z } from 'zod';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import type { Places } from '../places.ts';
import type { CapacityForecaster } from './capacity-forecast.ts';
import type { ForecastScope } from './capacity-history.ts';

const forecastQuery = z
  .strictObject({
    facility: z.string().regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only').max(64).optional(),
    tier: z.coerce.number().int().min(1).max(3).optional(),
    hours: z.coerce.number().int().min(1).max(168).default(72),
  })
  .refine((q) => !(q.facility && q.tier), { message: 'give facility or tier, not both', path: ['tier'] });

export function forecastRoutes(app: App, d: { sessions: Sessions; forecaster: CapacityForecaster; places: Places }): void {
  app.get('/capacity/forecast', {
    preHandler: d.sessions.require('forecast'),
    schema: {
      tags: ['capacity'],
      summary: 'Projected occupancy of beds and oxygen beds, hour by hour, with an 80% band and the time until full: one facility, one tier, or the city (no filter)',
      querystring: forecastQuery,
    },
    handler: async (request, reply) => {
      const q = request.query;
      const scope: ForecastScope = q.facility ? { kind: 'facility', facility: q.facility } : q.tier ? { kind: 'tier', tier: q.tier as 1 | 2 | 3 } : { kind: 'city' };
      const f = await d.forecaster.forecast(scope, q.hours);
      if (!f) {
        const what = scope.kind === 'facility' ? `facility "${scope.facility}"` : scope.kind === 'tier' ? `tier ${scope.tier}` : 'the city';
        return problem(reply, 404, 'No capacity reports', `no capacity report for ${what} yet`, scope.kind === 'facility' ? [{ field: 'querystring.facility', message: 'no reports' }] : undefined);
      }
      const name = scope.kind === 'facility' ? (d.places.facilities.find((p) => p.id === scope.facility)?.name ?? null) : null;
      return { ...f, scope: { ...f.scope, name } };
    },
  });
}
