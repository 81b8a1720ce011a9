import type { ApiServer } from '@haidang/api';

/** signs the bench's admin in, then has the api listen on a free loopback port: its cookie and base URL */
export async function listenSignedIn(app: ApiServer, adminPassword: string): Promise<{ cookie: string; base: string }> {
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: adminPassword } });
  const session = login.cookies.find((c) => c.name === 'haidang_session');
  if (login.statusCode !== 200 || !session) throw new Error(`login: ${login.statusCode} ${login.body}`);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { cookie: `${session.name}=${session.value}`, base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}
