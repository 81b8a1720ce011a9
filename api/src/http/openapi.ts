import { z } from 'zod';
import { errorCodes, type ErrorCode } from '@haidang/stream';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { access, type Resource } from '../auth/roles.ts';
import { requiresSession, sessionCookie } from '../auth/session.ts';

/** RFC 9457 problem details, as every error answer of the api and the ingest routes has it */
const problemSchema = z
  .object({
    type: z.string(),
    title: z.string().describe('the problem in words'),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]).optional().describe('the stable code, from the catalogue (stream/src/errors.ts; README, Errors)'),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional().describe('each offending field, e.g. querystring.step'),
  })
  .describe('RFC 9457 problem details');

const reasons: Record<number, string> = {
  400: 'Invalid request: the field and the reason are in `errors`',
  401: 'No valid session (sign in), or no valid API key on the ingest routes',
  403: 'Signed in, but the role (or the key) may not use this',
  404: 'No such thing',
  409: 'Conflicts with the current state (the reason is in `detail`)',
  413: 'Too large',
  415: 'Unsupported content type or encoding: send application/json',
  422: 'Understood but refused (the reason is in `detail`)',
  429: 'Over a rate limit; `Retry-After` says how many seconds to wait',
  500: 'A bug: retrying will not help',
  503: 'The store or the log did not answer; retry later',
};
const problemResponse = (status: number) => ({ description: reasons[status] ?? 'Problem', content: { 'application/problem+json': { schema: problemSchema } } });

const loose = z.looseObject({});
const binary = z.string().meta({ format: 'binary' });
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const pushItem = z.union([
  z.object({ index: z.number().int(), status: z.literal('accepted'), id: z.string(), duplicate: z.literal(true).optional() }),
  z.object({ index: z.number().int(), status: z.literal('refused'), field: z.string(), reason: z.string() }),
]);
const pushAnswer = z.object({ stream: z.string(), source: z.string(), accepted: z.number().int(), refused: z.number().int(), duplicates: z.number().int(), items: z.array(pushItem) });
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const sourceKeyAuth = [{ sourceKey: [] }, { sourceKeyHeader: [] }];

interface RouteDoc {
  /** statuses answered with problem details besides the ones every route of its kind has */
  problems?: number[];
  /** answers other than problems, for the document only (the route's own schema serialises) */
  responses?: Record<number, unknown>;
  security?: unknown[];
  /** the request body, for the document only (the route reads it itself) */
  body?: z.ZodType;
}
const pushedEvent = z.looseObject({ entity: z.string(), observedAt: z.string(), payload: z.looseObject({}) }).describe('an event of the stream without source, stream and receivedAt (docs/ingest.md)');

/**
 * What each route answers beyond what its kind implies. Every documented route gets 429, 500
 * and 503; one with input gets 400; one with a body 413 and 415; one with path parameters 404;
 * one behind a session (`Sessions.require`) 401 and 403 and the session cookie as security,
 * every other one `security: []` (public). tests/openapi-fuzz.test.ts holds the server to it
 * with schemathesis.
 */
const routeDocs: Record<string, RouteDoc> = {
  'POST /api/v1/auth/login': { problems: [401] },
  'GET /api/v1/auth/me': { problems: [401] },
  'POST /api/v1/auth/wall': { problems: [401] },
  'POST /api/v1/users': { problems: [409] },
  'PATCH /api/v1/users/:username': { problems: [409] },
  'DELETE /api/v1/users/:username': { problems: [409] },
  'GET /api/v1/capacity/forecast': { problems: [404] },
  'GET /api/v1/export/raw/:stream': { problems: [413], responses: { 200: { description: 'The file', content: { 'text/csv; charset=utf-8': { schema: z.string() }, [xlsx]: { schema: binary }, 'application/vnd.apache.parquet': { schema: binary } } } } },
  'GET /api/v1/export/kpi/:id': { problems: [413], responses: { 200: { description: 'The file', content: { 'text/csv; charset=utf-8': { schema: z.string() }, [xlsx]: { schema: binary }, 'application/vnd.apache.parquet': { schema: binary } } } } },
  'GET /api/v1/reports/evaluation': { responses: { 200: { description: 'The report', content: { [xlsx]: { schema: binary }, 'application/pdf': { schema: binary } } } } },
  'POST /api/v1/sources/keys': { responses: { 201: json(loose, 'The key, shown this once, and its grants') } },
  'GET /api/v1/sources/keys': { responses: { 200: json(z.object({ keys: z.array(loose) }), 'The keys (never the secrets)') } },
  'DELETE /api/v1/sources/keys/:keyId': { responses: { 200: json(loose, 'The revoked key') } },
  'POST /ingest/v1/:stream': {
    security: sourceKeyAuth,
    body: z.union([pushedEvent, z.array(pushedEvent).min(1).max(1000)]),
    problems: [401, 403, 404, 413, 415, 429],
    responses: {
      202: json(pushAnswer, 'Every event stored'),
      207: json(pushAnswer, 'Some events stored, the others refused item by item'),
      422: { description: 'No event stored: each refused with its field (PushAnswer), or the Idempotency-Key reused with another body (Problem)', content: { 'application/json': { schema: pushAnswer }, 'application/problem+json': { schema: problemSchema } } },
    },
  },
  'POST /ingest/v1/:stream/upload': {
    security: sourceKeyAuth,
    problems: [401, 403, 404, 413, 415, 429],
    responses: {
      202: json(loose, 'Every row stored: the row report'),
      207: json(loose, 'Some rows stored: the row report names each refused row'),
      422: { description: 'No row stored (the row report), or the file cannot be read (Problem)', content: { 'application/json': { schema: loose }, 'application/problem+json': { schema: problemSchema } } },
    },
  },
  'GET /ingest/v1/:stream/template.:format': { security: [], problems: [404, 415], responses: { 200: { description: 'The template', content: { 'text/csv; charset=utf-8': { schema: z.string() }, [xlsx]: { schema: binary } } } } },
};

type Hook = ((...args: unknown[]) => unknown) & { [requiresSession]?: Resource };
/** the resource a route's session check guards (Sessions.require), or undefined for a public route */
const guardOf = (preHandler: unknown): Resource | undefined => (Array.isArray(preHandler) ? preHandler : [preHandler]).map((h) => (typeof h === 'function' ? (h as Hook)[requiresSession] : undefined)).find((r) => r !== undefined);

/**
 * @fastify/swagger's `transform`: the route's statuses and security added to its document,
 * then fastify-type-provider-zod's transform turns the zod schemas into JSON Schema. Only the
 * document changes; the routes serialise with their own schemas.
 */
export function openApiTransform(input: Parameters<typeof jsonSchemaTransform>[0] & { route?: { method: string | string[]; url: string; preHandler?: unknown; preValidation?: unknown } }) {
  const { schema, route } = input;
  if (!schema || !route || (schema as { hide?: boolean }).hide) return jsonSchemaTransform(input);
  const method = Array.isArray(route.method) ? route.method[0]! : route.method;
  const doc = routeDocs[`${method} ${route.url}`] ?? {};
  const s = schema as Record<string, unknown> & { response?: Record<string, unknown> };
  const statuses = new Set<number>([429, 500, 503, ...(doc.problems ?? [])]);
  const hasBody = method === 'POST' || method === 'PATCH' || method === 'PUT';
  if (s.body || s.querystring || s.params || s.headers || hasBody) statuses.add(400);
  if (hasBody) [413, 415].forEach((c) => statuses.add(c));
  if (route.url.includes(':')) statuses.add(404);
  const resource = guardOf(route.preValidation) ?? guardOf(route.preHandler);
  const guarded = resource !== undefined;
  if (guarded) [401, 403].forEach((c) => statuses.add(c));
  // the roles that may call it, from roles.ts, so the document says what the api enforces
  const roles = resource ? `Roles: ${access[resource].join(', ')} (resource \`${resource}\`).` : undefined;
  const description = [s.description, roles].filter(Boolean).join('\n\n') || undefined;
  const response: Record<string, unknown> = { ...(doc.responses ?? {}), ...(s.response ?? {}) };
  // a route without a declared answer has an undescribed 200; one documented here replaces it
  if (!s.response && !doc.responses) response[200] = json(loose, 'OK');
  for (const status of statuses) if (!(status in response)) response[status] = problemResponse(status);
  const security = doc.security ?? (guarded ? [{ session: [] }] : []);
  return jsonSchemaTransform({ ...input, schema: { ...s, ...(doc.body && !s.body ? { body: doc.body } : {}), ...(description ? { description } : {}), response, security } as typeof input.schema });
}

/** @fastify/swagger's `transformObject`: `Retry-After` on every 429, no media type on a 204 */
export function openApiObjectTransform({ openapiObject }: { openapiObject: Record<string, unknown> }) {
  const doc = openapiObject as { paths?: Record<string, Record<string, { responses?: Record<string, { headers?: unknown }> }>> };
  for (const ops of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(ops)) {
      const r = op.responses?.['429'];
      if (r) r.headers = { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } };
      // 204 has no body, so no media type (the route's z.null() would document one)
      const empty = op.responses?.['204'] as { content?: unknown; description?: string } | undefined;
      if (empty) {
        delete empty.content;
        empty.description ||= 'No content';
      }
    }
  }
  return openapiObject;
}

/** the session cookie of the dashboard's users; the API key of the data sources, two ways */
export const securitySchemes = {
  session: { type: 'apiKey' as const, in: 'cookie', name: sessionCookie, description: 'the httpOnly cookie POST /api/v1/auth/login sets' },
  sourceKey: { type: 'http' as const, scheme: 'bearer', description: "a data source's API key (`hd_<id>_<secret>`), made by an admin under /api/v1/sources/keys" },
  sourceKeyHeader: { type: 'apiKey' as const, in: 'header', name: 'X-Api-Key', description: 'the same API key in a header of its own' },
};
