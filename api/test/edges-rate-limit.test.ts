import { expect, it } from 'vitest';
import { startTestApi } from './fixtures/test-api.ts';

// its own file: chDB opens one store per process, and this server needs a tiny global limit
it('the per-address limit answers 429 as problem details with Retry-After, per address', async () => {
  const limited = await startTestApi({ rateLimits: { global: { max: 3, timeWindow: 60_000 } } });
  try {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof limited.app.inject>> | undefined;
    for (let i = 0; i < 5; i++) statuses.push((last = await limited.app.inject({ method: 'GET', url: '/api/v1/health', remoteAddress: '10.8.0.1' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(last!.json()).toMatchObject({ status: 429, title: 'Too Many Requests', code: 'HD_RATE_LIMITED' });
    expect((await limited.app.inject({ method: 'GET', url: '/api/v1/health', remoteAddress: '10.8.0.2' })).statusCode).toBe(200);
  } finally {
    await limited.close();
  }
});
