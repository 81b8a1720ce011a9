import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './processes.ts';

/** One service of a Compose file, as much of it as the tests read. */
export interface ComposeService {
  image: string;
  command?: string;
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
  configs?: Array<{ source: string; target: string }>;
  volumes?: string[];
}

/** A Compose file of infra/ read as data (no Docker engine here), YAML merge keys resolved. */
export function readCompose(file: string): { services: Record<string, ComposeService>; configs: Record<string, { content: string }> } {
  const doc = parse(readFileSync(join(repoRoot, 'infra', file), 'utf8'), { merge: true }) as { services: Record<string, ComposeService>; configs?: Record<string, { content: string }> };
  return { services: doc.services, configs: doc.configs ?? {} };
}
