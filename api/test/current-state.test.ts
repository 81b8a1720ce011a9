import { afterAll, beforeAll, expect, it } from 'vitest';
import { genericCurrentState } from '../src/state/current-state.ts';
import { capacity, dossiers } from './fixtures/events.ts';
import { startTestApi, type TestApi } from './fixtures/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

/**
 * The current state a stream gets from its descriptor alone (a new stream's route and live
 * snapshot until it has a query of its own), tried on the first streams' tables: rows shaped
 * like the live deltas, a gauge's newest report winning, a counter's last day summed.
 */
it('a gauge: the newest report per entity and dimensions, corrections applied, shaped like its payload', async () => {
  const now = Date.now();
  const t = (minAgo: number) => new Date(now - minAgo * 60_000).toISOString();
  await api.store_events([
    capacity('gen-a', t(60), { tier: 2, oxygenTotal: 10, oxygenOccupied: 4 }),
    capacity('gen-a', t(30), { tier: 2, oxygenTotal: 10, oxygenOccupied: 7 }),
    capacity('gen-a', t(30), { tier: 3, oxygenTotal: 5, oxygenOccupied: 1 }),
  ]);
  const rows = (await genericCurrentState(api.store.client, 'capacity')).filter((r) => r.entity === 'gen-a');
  expect(rows).toHaveLength(2);
  const tier2 = rows.find((r) => r.tier === 2)!;
  expect(tier2).toMatchObject({ entity: 'gen-a', oxygenBedsTotal: 10, oxygenBedsOccupied: 7, patientsBySupport: expect.objectContaining({ mask: expect.any(Number) }) });
  expect(Date.parse(tier2.observedAt as string)).toBe(Date.parse(t(30)));
});

it('a counter: the last day of corrected reports summed per entity and dimensions', async () => {
  const now = Date.now();
  const t = (minAgo: number) => new Date(now - minAgo * 60_000).toISOString();
  await api.store_events([
    dossiers('gen-agency', t(120), { received: 10, online: 4, onTime: 3, late: 1 }),
    dossiers('gen-agency', t(60), { received: 6, online: 2, onTime: 2, late: 0 }),
  ]);
  const rows = (await genericCurrentState(api.store.client, 'dossiers')).filter((r) => r.entity === 'gen-agency');
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ received: 16, receivedOnline: 6, resolved: 6 });
});
