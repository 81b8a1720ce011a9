import type { z } from 'zod';

/** an api answer that is not 2xx, with the problem-details text the api sent */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${status} ${detail}`);
    this.name = 'ApiError';
  }
}

const apiBase = '/api/v1';

/** GET or POST under /api/v1 with the session cookie, the answer checked against `schema` */
export async function api<T extends z.ZodType>(path: string, schema: T, init?: { method?: 'GET' | 'POST' | 'PATCH'; body?: unknown; signal?: AbortSignal }): Promise<z.infer<T>> {
  const res = await fetch(apiBase + path, {
    method: init?.method ?? 'GET',
    credentials: 'same-origin',
    headers: init?.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init?.body === undefined ? null : JSON.stringify(init.body),
    signal: init?.signal ?? null,
  });
  if (!res.ok) {
    const text = await res.text();
    let detail = text;
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
    } catch {
      /* not problem+json */
    }
    throw new ApiError(res.status, path, detail);
  }
  return schema.parse(res.status === 204 ? null : await res.json());
}

/** URL of an export the browser downloads itself (the session cookie goes along) */
export const exportUrl = (path: string, query: Record<string, string>) => `${apiBase}${path}?${new URLSearchParams(query)}`;
