import { describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.ts';
import { adminPassword, startTestApi, testLogger } from './fixtures/test-api.ts';

// its own file: a second api instance shares the first one's store, and chDB holds one data folder a process
describe('the last active admin, raced', () => {
  it('two admins demoting each other at the same moment leave one admin (one 200, one 409), on one instance and on two', async () => {
    const own = await startTestApi();
    const second = await buildServer({ store: own.store.client, logger: testLogger, migrated: true, auth: { adminPassword, sessionSecret: 'x'.repeat(48), sessionHours: 1, cookieSecure: false } });
    await second.start();
    const call = (app: typeof own.app, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, cookie: string, payload?: object) => app.inject({ method, url: `/api/v1${path}`, headers: { cookie }, ...(payload ? { payload } : {}) });
    const signIn = async (username: string, password: string) => {
      const c = (await own.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })).cookies.find((k) => k.name === 'haidang_session')!;
      return `${c.name}=${c.value}`;
    };
    try {
      const rounds = [0, 1, 2, 3].flatMap((i) => [[`rival-${i}`, own.app, { role: 'operator' }], [`far-rival-${i}`, second, i % 2 ? { disabled: true } : { role: 'health' }]] as const);
      for (const [name, other, change] of rounds) {
        const boss = await signIn('admin', adminPassword);
        expect((await call(own.app, 'POST', '/users', boss, { username: name, role: 'admin', password: `${name}-password-1` })).statusCode).toBe(201);
        const rival = await signIn(name, `${name}-password-1`);
        const [a, b] = await Promise.all([call(own.app, 'PATCH', `/users/${name}`, boss, change), call(other, 'PATCH', '/users/admin', rival, change)]);
        const statuses = [a.statusCode, b.statusCode].sort();
        // one change wins; the other is refused as the last admin (409), or its caller's session
        // already ended because the winning change was theirs (401); two instances may each put
        // theirs back (both 409). Never both 200.
        const allowed = [[200, 409], [200, 401], ...(other === own.app ? [] : [[409, 409]])];
        expect(allowed, `${name}: ${a.body} ${b.body}`).toContainEqual(statuses);
        const listed = await call(own.app, 'GET', '/users', b.statusCode === 200 ? await signIn(name, `${name}-password-1`) : await signIn('admin', adminPassword));
        expect(listed.statusCode, listed.body).toBe(200);
        const users = listed.json() as { users: Array<{ username: string; role: string; disabled: boolean }> };
        const admins = users.users.filter((u) => u.role === 'admin' && !u.disabled).map((u) => u.username);
        expect(admins, name).toEqual(a.statusCode === 200 ? ['admin'] : b.statusCode === 200 ? [name] : ['admin', name].sort());
        // admin again for the next round
        // (a change put back is a new version of that user: their sessions end, as with any change)
        if (b.statusCode === 200) {
          expect((await call(other, 'PATCH', '/users/admin', await signIn(name, `${name}-password-1`), { role: 'admin', disabled: false })).statusCode).toBe(200);
        }
        expect((await call(own.app, 'DELETE', `/users/${name}`, await signIn('admin', adminPassword))).statusCode).toBe(204);
      }
    } finally {
      await second.close();
      await own.close();
    }
  });
});
