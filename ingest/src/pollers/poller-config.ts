import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PollerError } from './poller-error.ts';

/** The kinds of external system Hải Đăng can poll; one adapter each (adapters/). */
export const pollerKinds = ['fhir-capacity', 'immunisation-export', 'price-bulletin', 'dossier-stats'] as const;
export type PollerKind = (typeof pollerKinds)[number];

export const pollerSpec = z.strictObject({
  /** becomes the events' `source` as `poller:<name>` and the cursor's key */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and - only'),
  kind: z.enum(pollerKinds),
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** name of the environment variable holding the bearer token; the token itself never sits in a file */
  tokenEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/).optional(),
  intervalSeconds: z.number().int().min(1).max(7 * 86_400).default(3_600),
  pageSize: z.number().int().min(1).max(5_000).default(500),
  /** one HTTP request, ms */
  timeoutMs: z.number().int().min(50).max(300_000).default(30_000),
  /** attempts after the first within one run, with exponential backoff (p-retry) */
  retries: z.number().int().min(0).max(20).default(5),
  minBackoffMs: z.number().int().min(1).default(1_000),
  maxBackoffMs: z.number().int().min(1).default(5 * 60_000),
  /** first day a bulletin / export is read from when no cursor is stored yet (YYYY-MM-DD) */
  startDate: z.iso.date().optional(),
});
export type PollerSpec = z.infer<typeof pollerSpec>;

export const pollersFile = z.strictObject({ pollers: z.array(pollerSpec).min(1) }).superRefine((f, ctx) => {
  const seen = new Set<string>();
  for (const [i, p] of f.pollers.entries()) {
    if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['pollers', i, 'name'], message: `"${p.name}" is used twice: a name owns one cursor` });
    seen.add(p.name);
  }
});
export type PollersFile = z.infer<typeof pollersFile>;

/** Reads a JSON or YAML file (YAML is a superset of JSON: one parser) and validates it once. */
export async function loadPollersConfig(path: string): Promise<PollersFile> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(path, 'utf8'));
  } catch (e) {
    throw new PollerError('HD_POLLER_CONFIG_INVALID', `cannot read pollers config ${path}: ${(e as Error).message}`, { path }, { cause: e });
  }
  const r = pollersFile.safeParse(raw);
  if (!r.success) {
    const where = r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new PollerError('HD_POLLER_CONFIG_INVALID', `pollers config ${path}: ${where}`, { path });
  }
  return r.data;
}
