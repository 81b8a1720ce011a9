import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.ts';
import type { App } from '../http/app-types.ts';
import { problem } from '../http/problem.ts';
import { LoginThrottle } from './login-throttle.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { roles } from './roles.ts';
import { sessionCookie, type Sessions } from './session.ts';
import type { UserStore } from './users.ts';

const username = z.string().min(2).max(64).regex(/^[a-z0-9._-]+$/, 'lower-case letters, digits and . _ - only');
/** length, not composition rules (NIST SP 800-63B); the upper bound caps scrypt's input */
const password = z.string().min(12, 'must be at least 12 characters').max(256);
const userOut = z.object({ username: z.string(), role: z.enum(roles), disabled: z.boolean(), createdAt: z.string(), createdBy: z.string() });

export interface AuthRouteDeps {
  users: UserStore;
  sessions: Sessions;
  audit: AuditLog;
  loginRateLimit: { max: number; timeWindow: number };
  /** backoff on failed sign-ins per account and per address */
  loginThrottle?: LoginThrottle;
}

/** why a change would leave nobody able to manage users, or undefined */
async function lastAdminReason(users: UserStore, target: { username: string; role: string; disabled: boolean }, after: { role: string; disabled: boolean } | 'deleted'): Promise<string | undefined> {
  if (target.role !== 'admin' || target.disabled) return undefined;
  if (after !== 'deleted' && after.role === 'admin' && !after.disabled) return undefined;
  const others = (await users.activeAdmins()).filter((u) => u !== target.username);
  if (others.length) return undefined;
  const what = after === 'deleted' ? 'deleted' : after.disabled ? 'disabled' : 'demoted';
  return `"${target.username}" is the last active admin and cannot be ${what}: make another user admin first`;
}

const lastAdminRaced = (username: string) => `another change at the same moment left no active admin, so the change to "${username}" was put back: make another user admin first`;

/**
 * After a change that took an active admin away: whether one is left. Two api instances can
 * each pass `lastAdminReason` for two admins demoting each other at the same moment; the one
 * that then finds none left puts its own change back (`undo`) and answers 409.
 */
async function adminLeft(users: UserStore, before: { role: string; disabled: boolean }, undo: () => Promise<void>): Promise<boolean> {
  if (before.role !== 'admin' || before.disabled) return true;
  if ((await users.activeAdmins()).length > 0) return true;
  await undo();
  return false;
}

export function authRoutes(app: App, d: AuthRouteDeps): void {
  // changes to users one at a time in this process: the last-admin check and the change it
  // allows are one step, so two admins demoting each other at once get one 200 and one 409
  let userChanges: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = userChanges.then(work, work);
    userChanges = run.catch(() => {});
    return run;
  };

  // a hash to compare against when the user does not exist, so timing does not tell who does
  const dummyHash = hashPassword('not-a-user-password');
  const throttle = d.loginThrottle ?? new LoginThrottle();

  app.post('/auth/login', {
    config: { rateLimit: d.loginRateLimit },
    schema: {
      tags: ['auth'],
      summary: 'Sign in: sets an httpOnly session cookie',
      body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
      response: { 200: z.object({ username: z.string(), role: z.enum(roles), expiresAt: z.string() }) },
    },
    handler: async (request, reply) => {
      const { username: name, password: given } = request.body;
      const verdict = await throttle.check(name, request.ip);
      if (!verdict.ok) {
        reply.header('retry-after', String(verdict.retryAfterSeconds));
        return problem(reply, 429, 'Too many failed sign-ins', `too many failed sign-ins ${verdict.by === 'account' ? 'for this account' : 'from this address'}; retry in ${verdict.retryAfterSeconds} s`);
      }
      const user = await d.users.find(name);
      const ok = (await verifyPassword(given, user?.passwordHash ?? (await dummyHash))) && !!user && !user.disabled;
      if (!ok || !user) {
        await throttle.failed(name, request.ip);
        await d.audit.record({ actor: name, action: 'login-failed', target: name, ip: request.ip, ok: false });
        return problem(reply, 401, 'Sign-in failed', 'wrong username or password');
      }
      await throttle.succeeded(name, request.ip);
      const claims = d.sessions.newClaims(user);
      const token = await reply.jwtSign(claims, { expiresIn: d.sessions.maxAgeSeconds });
      await d.audit.record({ actor: user.username, action: 'login', target: user.username, ip: request.ip });
      reply.setCookie(sessionCookie, token, d.sessions.cookieOptions(request));
      return { username: user.username, role: user.role, expiresAt: new Date(Date.now() + d.sessions.maxAgeSeconds * 1000).toISOString() };
    },
  });

  app.post('/auth/logout', {
    schema: { tags: ['auth'], summary: 'Sign out: revokes the session', response: { 204: z.null() } },
    handler: async (request, reply) => {
      const user = await d.sessions.userOf(request);
      if (user) {
        await d.sessions.revoke(user);
        await d.audit.record({ actor: user.sub, action: 'logout', target: user.sub, ip: request.ip });
      }
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.code(204).send(null);
    },
  });

  app.get('/auth/me', {
    schema: { tags: ['auth'], summary: 'Who is signed in (`wall`: the wall token of a wall screen’s session)', response: { 200: z.object({ username: z.string(), role: z.enum(roles), expiresAt: z.string(), wall: z.string().optional() }) } },
    handler: async (request, reply) => {
      const user = await d.sessions.userOf(request);
      if (!user) return problem(reply, 401, 'Sign in first', 'no valid session');
      const wall = user.jti.startsWith('wall:') ? user.jti.split(':')[1] : undefined;
      return { username: user.sub, role: user.role, expiresAt: new Date(user.exp * 1000).toISOString(), ...(wall ? { wall } : {}) };
    },
  });

  app.get('/users', {
    preHandler: d.sessions.require('users'),
    schema: { tags: ['users'], summary: 'List users (admin)', response: { 200: z.object({ users: z.array(userOut) }) } },
    handler: async () => ({ users: await d.users.list() }),
  });

  app.post('/users', {
    preHandler: d.sessions.require('users'),
    schema: {
      tags: ['users'],
      summary: 'Create a user (admin)',
      body: z.strictObject({ username, role: z.enum(roles), password }),
      response: { 201: userOut },
    },
    handler: async (request, reply) => {
      const { username: name, role, password: pw } = request.body;
      if (await d.users.find(name)) return problem(reply, 409, 'User exists', `user "${name}" already exists`, [{ field: 'body.username', message: 'already exists' }]);
      await d.users.save({ username: name, role, passwordHash: await hashPassword(pw), createdBy: request.user.sub });
      await d.audit.record({ actor: request.user.sub, action: 'user-create', target: name, detail: { role }, ip: request.ip });
      const created = await d.users.find(name);
      const { passwordHash: _, version: __, ...out } = created!;
      return reply.code(201).send(out);
    },
  });

  app.patch('/users/:username', {
    preHandler: d.sessions.require('users'),
    schema: {
      tags: ['users'],
      summary: 'Change a user’s role, password or disabled flag (admin)',
      params: z.strictObject({ username }),
      body: z.strictObject({ role: z.enum(roles).optional(), password: password.optional(), disabled: z.boolean().optional() }),
      response: { 200: userOut },
    },
    handler: (request, reply) => oneAtATime(async () => {
      const current = await d.users.find(request.params.username);
      if (!current) return problem(reply, 404, 'No such user', `user "${request.params.username}" does not exist`, [{ field: 'params.username', message: 'not found' }]);
      const b = request.body;
      const { passwordHash: _, version: __, ...unchanged } = current;
      // nothing to change is no change: the user's sessions go on
      if ((b.role === undefined || b.role === current.role) && b.password === undefined && (b.disabled === undefined || b.disabled === current.disabled)) return unchanged;
      const refused = await lastAdminReason(d.users, current, { role: b.role ?? current.role, disabled: b.disabled ?? current.disabled });
      if (refused) return problem(reply, 409, 'Last active admin', refused, [{ field: b.role !== undefined ? 'body.role' : 'body.disabled', message: 'would leave no active admin' }]);
      await d.users.save({
        username: current.username,
        role: b.role ?? current.role,
        passwordHash: b.password ? await hashPassword(b.password) : current.passwordHash,
        disabled: b.disabled ?? current.disabled,
        createdAt: current.createdAt,
        createdBy: current.createdBy,
      });
      const asWas = () => d.users.save({ username: current.username, role: current.role, passwordHash: current.passwordHash, disabled: current.disabled, createdAt: current.createdAt, createdBy: current.createdBy });
      if (!(await adminLeft(d.users, current, asWas))) return problem(reply, 409, 'Last active admin', lastAdminRaced(current.username), [{ field: b.role !== undefined ? 'body.role' : 'body.disabled', message: 'would leave no active admin' }]);
      // the user's sessions and sockets end now; they sign in again with what they are now
      d.sessions.userChanged(current.username);
      await d.audit.record({ actor: request.user.sub, action: 'user-update', target: current.username, detail: { role: b.role, disabled: b.disabled, passwordChanged: !!b.password }, ip: request.ip });
      const { passwordHash: ___, version: ____, ...out } = (await d.users.find(current.username))!;
      return out;
    }),
  });

  app.delete('/users/:username', {
    preHandler: d.sessions.require('users'),
    schema: {
      tags: ['users'],
      summary: 'Delete a user (admin); their sessions and live subscriptions end at once',
      params: z.strictObject({ username }),
      response: { 204: z.null() },
    },
    handler: (request, reply) => oneAtATime(async () => {
      const current = await d.users.find(request.params.username);
      if (!current) return problem(reply, 404, 'No such user', `user "${request.params.username}" does not exist`, [{ field: 'params.username', message: 'not found' }]);
      const refused = await lastAdminReason(d.users, current, 'deleted');
      if (refused) return problem(reply, 409, 'Last active admin', refused, [{ field: 'params.username', message: 'would leave no active admin' }]);
      await d.users.delete(current.username);
      const asWas = () => d.users.save({ username: current.username, role: current.role, passwordHash: current.passwordHash, disabled: current.disabled, createdAt: current.createdAt, createdBy: current.createdBy });
      if (!(await adminLeft(d.users, current, asWas))) return problem(reply, 409, 'Last active admin', lastAdminRaced(current.username), [{ field: 'params.username', message: 'would leave no active admin' }]);
      d.sessions.userChanged(current.username, 'user-gone');
      await d.audit.record({ actor: request.user.sub, action: 'user-delete', target: current.username, detail: { role: current.role }, ip: request.ip });
      return reply.code(204).send(null);
    }),
  });
}
