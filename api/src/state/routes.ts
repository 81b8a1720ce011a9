import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { allDescriptors, chTime, envelopeFields, type DataStreamName } from '@haidang/stream';
import { manifest } from '@haidang/stream/manifest';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import type { Places } from '../places.ts';
import { answerOnce } from './answer-once.ts';
import { capacityNow, capacitySeries, capacitySorts } from './capacity.ts';
import { capacityAt } from './capacity-at.ts';
import { currentStateQueries, genericCurrentState } from './current-state.ts';
import { manifestFor } from './manifest.ts';
import { dossiersByAgency, dossiersSeries } from './dossiers.ts';
import { freshness } from './freshness.ts';
import { pricesNow, pricesSeries } from './prices.ts';
import { rangeQuery, resolveRange, type ResolvedRange, type Step } from './time-range.ts';
import { vaccinationByWard, vaccinationSeries } from './vaccination.ts';

const id = envelopeFields.entity;
/** query strings are text: tier arrives as "2"; explicit, so "" is refused rather than read as 0 */
const tier = z.enum(['1', '2', '3'], { message: 'must be 1, 2 or 3' }).transform(Number);
const dose = z.string().regex(/^[1-5]$/, 'must be 1 to 5').transform(Number);

/** the range of a series request, or a 400 naming the field already sent */
export function rangeOr400(reply: FastifyReply, q: { from?: string | undefined; to?: string | undefined; step: Step }): ResolvedRange | undefined {
  const r = resolveRange(q);
  if ('field' in r) {
    void problem(reply, 400, 'Invalid request', `${r.field}: ${r.message}`, [r]);
    return undefined;
  }
  return r;
}

export function stateRoutes(app: App, d: { store: ClickHouseClient; sessions: Sessions; places: Places }): void {
  app.get('/capacity/facilities', {
    preHandler: d.sessions.require('capacity'),
    schema: {
      tags: ['capacity'],
      summary: 'Current capacity per facility and tier (free oxygen beds first by default)',
      querystring: z.strictObject({
        tier: tier.optional(),
        ward: id.optional(),
        sort: z.enum(Object.keys(capacitySorts) as [keyof typeof capacitySorts]).default('freeOxygenBeds'),
        order: z.enum(['asc', 'desc']).default('desc'),
      }),
    },
    handler: (request, reply) => answerOnce(d.store, request, reply, ['capacity'], async () => ({ facilities: await capacityNow(d.store, d.places, request.query) })),
  });

  app.get('/capacity/facilities/at', {
    preHandler: d.sessions.require('capacity'),
    schema: {
      tags: ['capacity'],
      summary: 'Capacity per facility and tier as it was known at a past instant (replay): the newest report observed in the day before, among those received by then',
      querystring: z.strictObject({ at: z.iso.datetime({ offset: true }) }),
    },
    handler: (request, reply) => answerOnce(d.store, request, reply, ['capacity'], async () => ({ at: request.query.at, facilities: await capacityAt(d.store, d.places, new Date(request.query.at)) }), { upTo: request.query.at }),
  });

  app.get('/capacity/series', {
    preHandler: d.sessions.require('capacity'),
    schema: { tags: ['capacity'], summary: 'Capacity per tier over time (rollups)', querystring: z.strictObject({ ...rangeQuery, tier: tier.optional(), ward: id.optional(), facility: id.optional() }) },
    handler: async (request, reply) => {
      const range = rangeOr400(reply, request.query);
      if (!range) return reply;
      return answerOnce(d.store, request, reply, ['capacity'], async () => ({ from: range.fromIso, to: range.toIso, step: range.step, points: await capacitySeries(d.store, d.places, range, request.query) }), { vary: range.fromIso + range.toIso, upTo: range.toIso });
    },
  });

  app.get('/vaccination/wards', {
    preHandler: d.sessions.require('vaccination'),
    schema: { tags: ['vaccination'], summary: 'Doses and coverage per ward (corrected reports); `to`: only doses observed before it (replay)', querystring: z.strictObject({ ward: id.optional(), to: z.iso.datetime({ offset: true }).optional() }) },
    handler: (request, reply) => answerOnce(d.store, request, reply, ['vaccination'], async () => ({ wards: await vaccinationByWard(d.store, d.places, { ward: request.query.ward, to: request.query.to ? chTime(new Date(request.query.to)) : undefined }) }), { upTo: request.query.to }),
  });

  app.get('/vaccination/series', {
    preHandler: d.sessions.require('vaccination'),
    schema: { tags: ['vaccination'], summary: 'Doses per step and dose number', querystring: z.strictObject({ ...rangeQuery, ward: id.optional(), dose: dose.optional() }) },
    handler: async (request, reply) => {
      const range = rangeOr400(reply, request.query);
      if (!range) return reply;
      return answerOnce(d.store, request, reply, ['vaccination'], async () => ({ from: range.fromIso, to: range.toIso, step: range.step, points: await vaccinationSeries(d.store, range, request.query) }), { vary: range.fromIso + range.toIso, upTo: range.toIso });
    },
  });

  app.get('/prices/markets', {
    preHandler: d.sessions.require('prices'),
    schema: { tags: ['prices'], summary: 'Latest price per market and commodity, with deviation from the 7-day median', querystring: z.strictObject({ market: id.optional(), commodity: id.optional(), ward: id.optional() }) },
    handler: (request, reply) => answerOnce(d.store, request, reply, ['prices'], async () => ({ prices: await pricesNow(d.store, d.places, request.query) })),
  });

  app.get('/prices/series', {
    preHandler: d.sessions.require('prices'),
    schema: { tags: ['prices'], summary: 'Last price per step (rollups)', querystring: z.strictObject({ ...rangeQuery, market: id.optional(), commodity: id.optional() }) },
    handler: async (request, reply) => {
      const range = rangeOr400(reply, request.query);
      if (!range) return reply;
      return answerOnce(d.store, request, reply, ['prices'], async () => ({ from: range.fromIso, to: range.toIso, step: range.step, points: await pricesSeries(d.store, range, request.query) }), { vary: range.fromIso + range.toIso, upTo: range.toIso });
    },
  });

  app.get('/dossiers/agencies', {
    preHandler: d.sessions.require('dossiers'),
    schema: { tags: ['dossiers'], summary: 'Dossier throughput and online share per agency over a range (default: last 7 days)', querystring: z.strictObject({ ...rangeQuery, agency: id.optional() }) },
    handler: async (request, reply) => {
      const range = rangeOr400(reply, request.query);
      if (!range) return reply;
      return answerOnce(d.store, request, reply, ['dossiers'], async () => ({ from: range.fromIso, to: range.toIso, agencies: await dossiersByAgency(d.store, d.places, range, request.query) }), { vary: range.fromIso + range.toIso, upTo: range.toIso });
    },
  });

  app.get('/dossiers/series', {
    preHandler: d.sessions.require('dossiers'),
    schema: { tags: ['dossiers'], summary: 'Dossiers per step', querystring: z.strictObject({ ...rangeQuery, agency: id.optional() }) },
    handler: async (request, reply) => {
      const range = rangeOr400(reply, request.query);
      if (!range) return reply;
      return answerOnce(d.store, request, reply, ['dossiers'], async () => ({ from: range.fromIso, to: range.toIso, step: range.step, points: await dossiersSeries(d.store, range, request.query) }), { vary: range.fromIso + range.toIso, upTo: range.toIso });
    },
  });

  app.get('/manifest', {
    preHandler: d.sessions.require('manifest'),
    schema: {
      tags: ['meta'],
      summary: 'The streams manifest: every data stream the role may read, from the stream descriptors (fields, labels, kind, cadence, live channel, current-state path, KPIs, panel)',
      response: { 200: manifest },
    },
    handler: async (request) => manifestFor(request.user.role, d.places.cadence),
  });

  // a stream without a current-state query of its own gets the generic one at its descriptor's path
  for (const desc of allDescriptors.filter((x) => !currentStateQueries[x.name as DataStreamName])) {
    const stream = desc.name as DataStreamName;
    app.get(desc.currentPath, {
      preHandler: d.sessions.require(stream),
      schema: { tags: [stream], summary: `Current ${desc.label.en.toLowerCase()} per ${desc.entity.kind}: the newest report (gauge) or the last day's sums (counter), shaped like the live deltas` },
      handler: (request, reply) => answerOnce(d.store, request, reply, [stream], async () => ({ rows: await genericCurrentState(d.store, stream) })),
    });
  }

  app.get('/freshness', {
    preHandler: d.sessions.require('freshness'),
    schema: { tags: ['meta'], summary: 'Last observed / received time per stream and whether it is stale' },
    handler: async () => ({ streams: await freshness(d.store, new Date(), d.places.cadence, d.places.timezone) }),
  });
}
