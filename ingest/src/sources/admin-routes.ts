import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataStreams, envelopeFields, oneLineText } from '@haidang/stream';
import { unknownEntities, type EntityCatalogue } from './entity-catalogue.ts';
import type { SourceKeys } from './source-keys.ts';

type ZodApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export interface SourceAuditEntry {
  actor: string;
  action: 'source-key-create' | 'source-key-revoke';
  target: string;
  detail: Record<string, unknown>;
  ip: string;
}

export interface SourceRouteDeps {
  keys: SourceKeys;
  /** the api's session check for the admin role (401 / 403 otherwise) */
  requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** who the signed-in admin is */
  actorOf: (request: FastifyRequest) => string;
  /** the api's audit log: the action fails if the record cannot be written */
  audit: (entry: SourceAuditEntry) => Promise<void>;
  catalogue: EntityCatalogue;
}

const problemBody = (request: FastifyRequest, status: number, title: string, detail: string, errors?: Array<{ field: string; message: string }>) => ({
  type: 'about:blank',
  title,
  status,
  detail,
  instance: request.url.split('?')[0],
  ...(errors ? { errors } : {}),
});

/**
 * Admin routes for the data sources' API keys, under the api's prefix: create (the key is
 * in the answer once and never again), list, revoke. Every change is audit-logged.
 */
export function sourceRoutes(app: ZodApp, d: SourceRouteDeps): void {
  app.post('/sources/keys', {
    preHandler: d.requireAdmin,
    schema: {
      tags: ['sources'],
      summary: 'Create an API key for a data source (the key is shown once; admin, audit-logged)',
      body: z.strictObject({
        source: envelopeFields.source.describe('who reports, e.g. bv-ba-ria; stored as every event\'s source'),
        label: oneLineText(200, 0).default(''),
        streams: z.array(z.enum(dataStreams)).min(1).max(dataStreams.length),
        entities: z.array(envelopeFields.entity).min(1).max(2000).describe('facility / ward / market / agency ids of the city pack'),
      }),
    },
    handler: async (request, reply) => {
      const body = request.body;
      const streams = [...new Set(body.streams)];
      const entities = [...new Set(body.entities)];
      const unknown = unknownEntities(d.catalogue, streams, entities);
      if (unknown.length) {
        return reply.code(400).type('application/problem+json').send(problemBody(request, 400, 'Unknown entities', `not in the city pack for ${streams.join(', ')}: ${unknown.slice(0, 10).join(', ')}`, unknown.slice(0, 10).map((e) => ({ field: `body.entities.${entities.indexOf(e)}`, message: `"${e}" is not a ${streams.join('/')} entity of the city pack` }))));
      }
      const actor = d.actorOf(request);
      const { key, record } = await d.keys.create({ source: body.source, label: body.label, streams, entities, createdBy: actor });
      await d.audit({ actor, action: 'source-key-create', target: record.keyId, detail: { source: record.source, streams, entities: entities.length }, ip: request.ip });
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ ...record, key, note: 'keep this key: Hải Đăng stores only its hash and cannot show it again' });
    },
  });

  app.get('/sources/keys', {
    preHandler: d.requireAdmin,
    schema: { tags: ['sources'], summary: 'The API keys of the data sources (never the keys themselves; admin)' },
    handler: async () => ({ keys: await d.keys.list() }),
  });

  app.delete('/sources/keys/:keyId', {
    preHandler: d.requireAdmin,
    schema: {
      tags: ['sources'],
      summary: 'Revoke an API key (admin, audit-logged)',
      params: z.strictObject({ keyId: z.string().regex(/^[0-9a-f]{16}$/, 'a key id: 16 hex digits') }),
    },
    handler: async (request, reply) => {
      const actor = d.actorOf(request);
      const revoked = await d.keys.revoke(request.params.keyId, actor);
      if (!revoked) return reply.code(404).type('application/problem+json').send(problemBody(request, 404, 'No such key', `no API key ${request.params.keyId}`, [{ field: 'params.keyId', message: 'not found' }]));
      await d.audit({ actor, action: 'source-key-revoke', target: revoked.keyId, detail: { source: revoked.source }, ip: request.ip });
      return revoked;
    },
  });
}
