import type { ClickHouseClient } from '@clickhouse/client';
import { deadLetterReasons, TopicNames, type Transport } from '@haidang/stream';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import { listDeadLetters, replayDeadLetters } from './dead-letters.ts';
import { sourceHealth, type SourceHealthOptions } from './source-health.ts';

export interface SourceHealthDeps {
  store: ClickHouseClient;
  sessions: Sessions;
  audit: AuditLog;
  /** topic names of this deployment (prefix); default unprefixed */
  topics?: TopicNames | undefined;
  /** the log replays are published to; without it replay answers 503 */
  transport?: Transport | undefined;
  options?: SourceHealthOptions | undefined;
}

export function sourceHealthRoutes(app: App, d: SourceHealthDeps): void {
  const topics = d.topics ?? new TopicNames('');
  app.get('/source-health', {
    preHandler: d.sessions.require('sourceHealth'),
    schema: {
      tags: ['sources'],
      summary: 'Per data source: last event, age against its cadence (ok/late/silent), events per hour, received → valid → stored, reject share, top dead-letter reasons, flags',
    },
    handler: async () => {
      const now = (d.options?.now ?? (() => new Date()))();
      const sources = await sourceHealth(d.store, topics, d.options);
      return { at: now.toISOString(), sources };
    },
  });

  app.get('/deadletters', {
    preHandler: d.sessions.require('deadletters'),
    schema: {
      tags: ['sources'],
      summary: 'Dead-lettered events, newest first, with the original bytes decoded',
      querystring: z.strictObject({
        source: z.string().max(128).optional(),
        reason: z.enum(deadLetterReasons).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
    },
    handler: async (request) => ({ deadLetters: await listDeadLetters(d.store, request.query) }),
  });

  app.post('/deadletters/replay', {
    preHandler: d.sessions.require('deadletters'),
    schema: {
      tags: ['sources'],
      summary: 'Republish dead letters\u2019 original bytes to their topic once the cause is fixed (idempotent by event id; audit-logged)',
      body: z.strictObject({ ids: z.array(z.uuid()).min(1).max(500) }),
    },
    handler: async (request, reply) => {
      if (!d.transport) return problem(reply, 503, 'No log attached', 'this api process has no transport to publish to; run the replay where the pipeline runs (haidang start)');
      const ids = [...new Set(request.body.ids)];
      const results = await replayDeadLetters(d.store, d.transport, topics, ids);
      const count = (o: string) => results.filter((r) => r.outcome === o).length;
      await d.audit.record({ actor: request.user.sub, action: 'deadletter-replay', target: `${ids.length} dead letters`, detail: { ids, republished: count('republished'), alreadyStored: count('already-stored'), notFound: count('not-found') }, ip: request.ip });
      return { results };
    },
  });
}
