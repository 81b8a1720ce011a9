import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { App } from './app-types.ts';

export interface RateLimits {
  /** requests per minute per client on every route */
  global: { max: number; timeWindow: number };
  /** sign-in attempts per minute per client: slows password guessing */
  login: { max: number; timeWindow: number };
  /**
   * wall screens' sign-ins per minute per client. A wall token is 256 random bits, so the
   * limit guards the api's time, not a guess: a room of screens behind one address signs in
   * together after a restart, and 10 a minute left the eleventh on a login form.
   */
  wall: { max: number; timeWindow: number };
}
const defaultRateLimits: RateLimits = { global: { max: 1200, timeWindow: 60_000 }, login: { max: 10, timeWindow: 60_000 }, wall: { max: 300, timeWindow: 60_000 } };

/**
 * Headers, CORS and rate limits. The CSP allows the dashboard's own scripts, its WebGL
 * workers (deck.gl / loaders.gl start workers from blob: URLs and may compile WebAssembly),
 * data:/blob: images and map tiles over https, and socket.io on the same origin; nothing
 * inline, no eval. The rate limiter keeps its counters per process (README: use Redis with
 * several instances) and keys by request.ip, which is only right while trustProxy is false
 * or lists the real proxies.
 */
export async function registerHttpSecurity(app: App, o: { corsOrigins: string[]; rateLimits?: Partial<RateLimits> | undefined }): Promise<RateLimits> {
  const limits: RateLimits = { ...defaultRateLimits, ...o.rateLimits };
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        // swagger-ui and map libraries set element styles at run time
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", 'ws:', 'wss:', 'https:', ...o.corsOrigins],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    // cross-origin isolation would block map tiles served without CORP headers
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCors, {
    // a function, so an origin outside the allowlist gets no CORS headers at all
    origin: (origin, cb) => cb(null, !origin || o.corsOrigins.includes(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    maxAge: 600,
  });
  await app.register(fastifyRateLimit, {
    global: true,
    max: limits.global.max,
    timeWindow: limits.global.timeWindow,
    errorResponseBuilder: (_request, context) => {
      const err = new Error(`rate limit: ${context.max} requests per ${context.after}; retry later`) as Error & { statusCode: number; code: string };
      err.statusCode = context.statusCode;
      err.code = 'HD_RATE_LIMITED';
      return err;
    },
  });
  return limits;
}
