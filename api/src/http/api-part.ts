import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger, TopicNames, Transport } from '@haidang/stream';
import type { AuditEntry } from '../audit/audit-log.ts';
import type { Resource } from '../auth/roles.ts';
import type { Places } from '../places.ts';
import type { App } from './app-types.ts';

/**
 * What the api lends a part mounted beside its own routes: the store and the log it was
 * given, its session guard, its audit log and the city's places. A part never imports the
 * api: it states what it needs and the api's `PartContext` fits it.
 */
export interface PartContext {
  store: ClickHouseClient;
  logger: Logger;
  places: Places;
  /** the log pushed reports go through (absent: the part has nothing to publish to) */
  transport?: Transport | undefined;
  topics?: TopicNames | undefined;
  /** preHandler: 401 without a session, 403 when the role may not use `resource` */
  require(resource: Resource): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** the signed-in user a guarded request came with */
  actorOf(request: FastifyRequest): string;
  /** records an action in the audit log; the action fails if the record cannot be written */
  audit(entry: AuditEntry): Promise<void>;
}

/**
 * Routes another workspace mounts on the api (bin/ composes them, e.g. ingest's push routes):
 * `routes` beside the api's own under /api/v1, `plugin` at the root with its own parsers and
 * error handler, `migrate` run by the server's `start()`, never while it is built.
 */
export interface ApiPart {
  /** named in logs */
  name: string;
  /** the part's tables; run by `start()` after the api's */
  migrate?(store: ClickHouseClient, logger: Logger): Promise<void>;
  /** routes under /api/v1, guarded with `ctx.require` */
  routes?(api: App, ctx: PartContext): void;
  /** a Fastify plugin of its own (own parsers, own error handler) mounted at `prefix`, e.g. /ingest/v1 */
  root?: { prefix: string; plugin(app: FastifyInstance, ctx: PartContext): Promise<void> };
}
