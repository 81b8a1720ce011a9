import { oneLineText } from '@haidang/stream';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import { sessionCookie, type Sessions } from './session.ts';
import { wallJti, wallViews, type WallTokens } from './wall-tokens.ts';

const tokenOut = z.object({ tokenId: z.string(), label: z.string(), view: z.enum(wallViews), createdAt: z.string(), createdBy: z.string(), revokedAt: z.string().nullable(), revokedBy: z.string().nullable() });

/**
 * Wall tokens: the admin creates (shown once), lists and revokes them; a wall screen trades
 * its token for a read-only session of its view. Every step is in the audit log.
 */
export function wallTokenRoutes(app: App, d: { sessions: Sessions; audit: AuditLog; tokens: WallTokens; rateLimit: { max: number; timeWindow: number } }): void {
  app.post('/wall-tokens', {
    preHandler: d.sessions.require('users'),
    schema: {
      tags: ['auth'],
      summary: 'Create a wall token for a view (admin); the token is shown once',
      body: z.strictObject({ label: oneLineText(80), view: z.enum(wallViews) }),
      response: { 201: z.object({ token: z.string(), url: z.string(), record: tokenOut }) },
    },
    handler: async (request, reply) => {
      const { token, record } = await d.tokens.create({ ...request.body, createdBy: request.user.sub });
      await d.audit.record({ actor: request.user.sub, action: 'wall-token-create', target: record.tokenId, detail: { label: record.label, view: record.view }, ip: request.ip });
      // in the fragment: never sent to a server, never in an access log
      return reply.code(201).send({ token, url: `/?kiosk=1#wall=${token}`, record });
    },
  });

  app.get('/wall-tokens', {
    preHandler: d.sessions.require('users'),
    schema: { tags: ['auth'], summary: 'Wall tokens (admin), without their secrets', response: { 200: z.object({ tokens: z.array(tokenOut) }) } },
    handler: async () => ({ tokens: await d.tokens.list() }),
  });

  app.post('/wall-tokens/:tokenId/revoke', {
    preHandler: d.sessions.require('users'),
    schema: { tags: ['auth'], summary: 'Revoke a wall token (admin): its walls are signed out at once (through other api instances within seconds)', params: z.strictObject({ tokenId: z.string().regex(/^[0-9a-f]{16}$/) }), response: { 200: tokenOut } },
    handler: async (request, reply) => {
      const t = await d.tokens.revoke(request.params.tokenId, request.user.sub);
      if (!t) return problem(reply, 404, 'No such wall token', `wall token "${request.params.tokenId}" does not exist`);
      d.sessions.wallTokenRevoked(t.tokenId);
      await d.audit.record({ actor: request.user.sub, action: 'wall-token-revoke', target: t.tokenId, detail: { label: t.label }, ip: request.ip });
      return t;
    },
  });

  app.post('/auth/wall', {
    config: { rateLimit: d.rateLimit },
    schema: {
      tags: ['auth'],
      summary: 'A wall screen signs in with its wall token: a read-only session of the token’s view',
      body: z.strictObject({ token: z.string().min(1).max(200) }),
      response: { 200: z.object({ username: z.string(), role: z.enum(wallViews), expiresAt: z.string(), wall: z.string() }) },
    },
    handler: async (request, reply) => {
      const t = await d.tokens.verify(request.body.token);
      if (!t) {
        await d.audit.record({ actor: 'wall', action: 'wall-sign-in', target: request.body.token.slice(4, 20), ip: request.ip, ok: false });
        return problem(reply, 401, 'Wall token refused', 'the wall token is unknown or revoked');
      }
      const username = `wall:${t.label}`;
      const claims = { sub: username, role: t.view, jti: wallJti(t.tokenId, randomUUID()), uv: 'wall' };
      const token = await reply.jwtSign(claims, { expiresIn: d.sessions.maxAgeSeconds });
      await d.audit.record({ actor: username, action: 'wall-sign-in', target: t.tokenId, detail: { view: t.view }, ip: request.ip });
      reply.setCookie(sessionCookie, token, d.sessions.cookieOptions(request));
      return { username, role: t.view, expiresAt: new Date(Date.now() + d.sessions.maxAgeSeconds * 1000).toISOString(), wall: t.tokenId };
    },
  });
}
