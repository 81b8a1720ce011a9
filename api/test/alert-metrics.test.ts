import { afterAll, beforeAll, expect, it } from 'vitest';
import { readMetric } from '../src/alerts/metrics.ts';
import { price } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

it('reads a price against the median of the 7 days before it', async () => {
  await api.store_events(['01', '02', '03'].map((d) => price('m-1', `2022-08-${d}T03:00:00Z`, 'pork', 100_000)));
  const rule = { id: 'p', metric: 'price-vs-median-7d', op: '>=', threshold: 0.1, forSeconds: 0, severity: 'warning', message: { vi: '', en: '' } } as const;
  const [r] = await readMetric(api.store.client, rule, [price('m-1', '2022-08-04T03:00:00Z', 'pork', 120_000), price('m-2', '2022-08-04T03:00:00Z', 'pork', 1)]);
  expect(r).toMatchObject({ entity: 'm-1', series: 'pork' });
  expect(r!.value).toBeCloseTo(0.2);
});
