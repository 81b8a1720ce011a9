import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger, TopicNames, Transport } from '@haidang/stream';
import { migrateIngest } from '../migrations/index.ts';
import { sourceRoutes, type SourceAuditEntry } from '../sources/admin-routes.ts';
import { entityCatalogueOf } from '../sources/entity-catalogue.ts';
import { SourceKeys } from '../sources/source-keys.ts';
import type { Commodity } from '../sources/commodity-names.ts';
import type { UploadLimits } from '../upload/upload-route.ts';
import { ingestPlugin, type PushLimits } from './ingest-plugin.ts';

/**
 * What the process hosting the ingest routes lends them (the api's `PartContext` fits it; this
 * workspace never imports the api): the store, the log to publish to, the admin guard, the
 * audit log and the city's places.
 */
export interface IngestHost {
  store: ClickHouseClient;
  logger: Logger;
  places: Parameters<typeof entityCatalogueOf>[0] & { commodities: readonly Commodity[] };
  /** without a log there is nothing to publish to: the push and upload routes are not mounted */
  transport?: Transport | undefined;
  topics?: TopicNames | undefined;
  require(resource: 'sources'): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  actorOf(request: FastifyRequest): string;
  audit(entry: SourceAuditEntry): Promise<void>;
}

type ZodApp = Parameters<typeof sourceRoutes>[0];

/**
 * The ingest routes as a part of a server (bin/ mounts them on the api): the source keys'
 * admin routes under the host's /api/v1, the push, upload and template routes at /ingest/v1,
 * and ingest's tables, migrated when the host starts. One key store serves both.
 */
export function ingestRoutes(o: { push?: Partial<PushLimits> | undefined; upload?: Partial<UploadLimits> | undefined } = {}) {
  let keys: SourceKeys | undefined;
  const keysOf = (store: ClickHouseClient) => (keys ??= new SourceKeys(store));
  return {
    name: 'ingest',
    async migrate(store: ClickHouseClient, logger: Logger): Promise<void> {
      await migrateIngest(store, logger);
    },
    routes(api: ZodApp, host: IngestHost): void {
      sourceRoutes(api, { keys: keysOf(host.store), requireAdmin: host.require('sources'), actorOf: host.actorOf, audit: host.audit, catalogue: entityCatalogueOf(host.places) });
    },
    root: {
      prefix: '/ingest/v1',
      async plugin(app: FastifyInstance, host: IngestHost): Promise<void> {
        if (!host.transport || !host.topics) return;
        await ingestPlugin(app, { store: host.store, transport: host.transport, topics: host.topics, logger: host.logger, keys: keysOf(host.store), commodities: host.places.commodities, push: o.push, upload: o.upload });
      },
    },
  };
}
