import { afterAll, beforeAll, expect, it } from 'vitest';
import { roles, type Role } from '../src/auth/roles.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

/**
 * The role table, as the OpenAPI document states it (from roles.ts), is what the api does:
 * every protected operation answers 401 without a session and 403 to each role it does not
 * name, before looking at the input; the roles it names get through (any other answer).
 */
it('every protected operation lets in exactly the roles its document names, and checks the session before the input', async () => {
  const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, { description?: string; security?: unknown[] }>> };
  const cookies = Object.fromEntries(await Promise.all(roles.map(async (r) => [r, await api.cookieFor(r)] as const))) as Record<Role, string>;
  const mismatches: string[] = [];
  let checked = 0;
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const named = /Roles: ([a-z, ]+) \(resource/.exec(op.description ?? '')?.[1]?.split(', ');
      if (!named) {
        if (path.startsWith('/api/v1/') && !(op.security && op.security.length === 0)) mismatches.push(`${method} ${path}: protected without roles in its document`);
        continue;
      }
      // a malformed input on purpose: the session and the role come first
      const url = `${path.replace(/\{[^}]+\}/g, 'x')}?bogus=1`;
      const send = (cookie?: string) => api.app.inject({ method: method.toUpperCase() as 'GET', url, headers: cookie ? { cookie } : {}, ...(method === 'get' || method === 'delete' ? {} : { payload: { bogus: true } }) });
      const anonymous = await send();
      if (anonymous.statusCode !== 401) mismatches.push(`${method} ${path} anonymous → ${anonymous.statusCode}`);
      for (const role of roles) {
        const status = (await send(cookies[role])).statusCode;
        const allowed = named.includes(role);
        if (allowed ? status === 401 || status === 403 : status !== 403) mismatches.push(`${method} ${path} ${role} → ${status}`);
        checked++;
      }
    }
  }
  expect(mismatches).toEqual([]);
  expect(checked).toBeGreaterThanOrEqual(4 * 29);
});
