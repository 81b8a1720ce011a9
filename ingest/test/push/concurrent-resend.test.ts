import { afterAll, beforeAll, expect, it } from 'vitest';
import { startIngestApi, type IngestTestApi } from './ingest-test-api.ts';

let t: IngestTestApi;
let key: string;
beforeAll(async () => {
  t = await startIngestApi();
  key = await t.keyFor('resender', ['prices'], ['m-1']);
});
afterAll(async () => t?.close());

const push = (body: unknown) => t.app.inject({ method: 'POST', url: '/ingest/v1/prices', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, payload: JSON.stringify(body) });

it('a resend of stored events sent several times at once is answered as duplicates by every request', async () => {
  for (let round = 0; round < 2; round++) {
    const body = Array.from({ length: 1000 }, (_, i) => ({ id: `0191ffff-0000-7000-8000-${String(round * 10_000 + i).padStart(12, '0')}`, entity: 'm-1', observedAt: new Date(Date.UTC(2022, 4, 1) + (round * 10_000 + i) * 1_800_000).toISOString(), payload: { commodity: 'pork', unit: 'kg', priceVnd: 95_000 + i } }));
    const answers = await Promise.all([0, 1, 2, 3, 4, 5].map(() => push(body)));
    const again = await Promise.all([0, 1, 2, 3, 4, 5].map(() => push(body)));
    for (const a of [...answers, ...again]) expect(a.statusCode, `round ${round}: ${a.body.slice(0, 300)}`).toBe(202);
  }
});
