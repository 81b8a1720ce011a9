import { z } from 'zod';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import type { AuditLog } from './audit-log.ts';

export function auditRoutes(app: App, d: { sessions: Sessions; audit: AuditLog }): void {
  app.get('/audit', {
    preHandler: d.sessions.require('audit'),
    schema: {
      tags: ['users'],
      summary: 'The audit log, newest first (admin)',
      querystring: z.strictObject({
        limit: z.coerce.number().int().min(1).max(10_000).default(200),
        action: z.enum(['login', 'login-failed', 'logout', 'export', 'user-create', 'user-update', 'user-delete', 'alert-acknowledge', 'first-admin', 'source-key-create', 'source-key-revoke', 'deadletter-replay', 'kpi-opening-balance', 'wall-token-create', 'wall-token-revoke', 'wall-sign-in']).optional(),
      }),
    },
    handler: async (request) => ({ entries: await d.audit.list(request.query.limit, request.query.action) }),
  });
}
