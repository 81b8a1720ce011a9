import { manyLineText } from '@haidang/stream';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import type { AlertEngine } from './engine.ts';

export function alertRoutes(app: App, d: { sessions: Sessions; audit: AuditLog; alerts: AlertEngine }): void {
  app.get('/alerts', {
    preHandler: d.sessions.require('alerts'),
    schema: {
      tags: ['alerts'],
      summary: 'Alert episodes, newest first',
      querystring: z.strictObject({
        state: z.enum(['firing', 'resolved']).optional(),
        // "false" must mean false: z.stringbool, never z.coerce.boolean (reference B7)
        acknowledged: z.stringbool().optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(200),
      }),
    },
    handler: async (request) => ({ alerts: await d.alerts.list(request.query) }),
  });

  app.post('/alerts/:episodeId/acknowledge', {
    preHandler: d.sessions.require('acknowledge'),
    schema: {
      tags: ['alerts'],
      summary: 'Acknowledge an alert episode with a comment (audit-logged)',
      params: z.strictObject({ episodeId: z.uuid() }),
      body: z.strictObject({ comment: manyLineText(1000, 'say what was done') }),
    },
    handler: async (request, reply) => {
      const acked = await d.alerts.acknowledge(request.params.episodeId, request.user.sub, request.body.comment);
      if (!acked) return problem(reply, 404, 'No such alert', `no alert episode ${request.params.episodeId}`, [{ field: 'params.episodeId', message: 'not found' }]);
      await d.audit.record({ actor: request.user.sub, action: 'alert-acknowledge', target: acked.episodeId, detail: { rule: acked.ruleId, entity: acked.entity, comment: request.body.comment }, ip: request.ip });
      return acked;
    },
  });
}
