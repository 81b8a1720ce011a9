import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { HaiDangError } from '@haidang/stream';

/**
 * The api's own settings. They are HAIDANG_* variables, but stream's `loadConfig` refuses any
 * HAIDANG_* key it does not know (a typo must not pass silently), so the api *takes* its
 * keys out of the environment before the shared config is read. Taking them out also keeps
 * the admin password and the session secret away from child processes.
 */
const originList = z
  .string()
  .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
  .pipe(z.array(z.url().transform((u) => new URL(u).origin)));

export const apiConfigSchema = z.strictObject({
  /** the first admin's password; when unset and no user exists, a random one is logged once */
  HAIDANG_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** secret that signs session tokens; unset = random per process (sessions end on restart) */
  HAIDANG_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** other origins allowed to call the api and open the socket (comma-separated); the api's own origin always is */
  HAIDANG_CORS_ORIGINS: originList.optional(),
  /** hours a session lasts */
  HAIDANG_SESSION_HOURS: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(720)).default(12),
  /** requests per minute per client address on the api's routes (the push and upload routes have their own limits) */
  HAIDANG_RATE_LIMIT_PER_MINUTE: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(1_000_000)).default(1200),
  /** `Secure` cookie flag: on behind HTTPS (the default), off only for plain-http local use */
  HAIDANG_COOKIE_SECURE: z.enum(['true', 'false', 'auto']).default('auto'),
  /** live channels' coalescing window in ms: a screen gets at most one frame per channel per window, holding the newest report of each series */
  HAIDANG_LIVE_WINDOW_MS: z.string().regex(/^\d+$/, 'must be a whole number of milliseconds').transform(Number).pipe(z.number().int().min(50, 'must be at least 50 ms').max(10_000, 'must be at most 10000 ms')).default(500),
});
const apiConfigKeys = Object.keys(apiConfigSchema.shape);

export interface AuthConfig {
  adminPassword?: string | undefined;
  sessionSecret: string;
  sessionHours: number;
  /** 'auto': Secure when the request came over TLS */
  cookieSecure: boolean | 'auto';
}

export interface ApiConfig {
  auth: AuthConfig;
  corsOrigins: string[];
  /** requests per minute per client address on the api's routes */
  requestsPerMinute: number;
  /** the live channels' settings (api/src/live) */
  live: { windowMs: number };
}

/** Removes the api's keys from `env` (mutating it) and validates them. */
export function takeApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const picked: Record<string, string> = {};
  for (const k of apiConfigKeys) {
    const v = env[k];
    delete env[k];
    if (v !== undefined && v !== '') picked[k] = v;
  }
  const parsed = apiConfigSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new HaiDangError('HD_CONFIG_INVALID', `invalid api configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    auth: {
      adminPassword: c.HAIDANG_ADMIN_PASSWORD,
      sessionSecret: c.HAIDANG_SESSION_SECRET ?? randomBytes(48).toString('base64url'),
      sessionHours: c.HAIDANG_SESSION_HOURS,
      cookieSecure: c.HAIDANG_COOKIE_SECURE === 'auto' ? 'auto' : c.HAIDANG_COOKIE_SECURE === 'true',
    },
    corsOrigins: c.HAIDANG_CORS_ORIGINS ?? [],
    requestsPerMinute: c.HAIDANG_RATE_LIMIT_PER_MINUTE,
    live: { windowMs: c.HAIDANG_LIVE_WINDOW_MS },
  };
}
