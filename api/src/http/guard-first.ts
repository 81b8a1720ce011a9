import type { RouteOptions } from 'fastify';
import { requiresSession } from '../auth/session.ts';
import type { App } from './app-types.ts';

type Hook = NonNullable<RouteOptions['preHandler']>;
const isGuard = (h: unknown) => typeof h === 'function' && (h as unknown as Record<symbol, unknown>)[requiresSession] !== undefined;

/**
 * Routes declare their session check as a preHandler (`preHandler: sessions.require(…)`),
 * which Fastify runs after validating the input: an anonymous caller with a malformed query
 * was told what is wrong with it (400) before being told to sign in. This moves every
 * session check to preValidation, so 401 and 403 come first and nobody learns a protected
 * route's rules without the right to call it. Register before the routes.
 */
export function checkSessionsBeforeValidation(app: App): void {
  app.addHook('onRoute', (route) => {
    const pre = route.preHandler;
    if (!pre) return;
    const list = (Array.isArray(pre) ? pre : [pre]) as unknown[];
    const guards = list.filter(isGuard);
    if (!guards.length) return;
    const rest = list.filter((h) => !isGuard(h));
    route.preHandler = (rest.length ? rest : undefined) as Hook | undefined;
    const before = route.preValidation ? ((Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation]) as unknown[]) : [];
    route.preValidation = [...guards, ...before] as NonNullable<RouteOptions['preValidation']>;
  });
}
