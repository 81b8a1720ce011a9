import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MapData } from '../src/api/schemas.ts';
import { loadPast } from '../src/time/load-past.ts';
import { disbursementLike } from './fixtures/manifest.ts';

const places = { wards: { type: 'FeatureCollection', features: [] }, facilities: [], markets: [], agencies: [], commodities: [] } as unknown as MapData;
const at = new Date('2026-11-15T03:00:00.000Z');
const row = { entity: 'p1', month: '2026-11', planVnd: 1000, disbursedVnd: 400 };

function answering(body: unknown) {
  const urls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    urls.push(url);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return urls;
}
afterEach(() => vi.unstubAllGlobals());

describe('replaying a stream only the manifest knows', () => {
  it('reads its current-state path at the instant, and takes the answer when it says it is that instant', async () => {
    const urls = answering({ at: at.toISOString(), rows: [row] });
    const past = await loadPast(at, places, [disbursementLike], undefined);
    expect(urls).toEqual([`/api/v1/budget-fixture/current?at=${at.toISOString()}`]);
    expect(past.notReplayed).toEqual([]);
    expect(past.rows.budget_fixture![0]).toMatchObject({ entity: 'p1', disbursedVnd: 400, disbursedShare: 0.4 });
  });

  it('a route that ignores `at` (it answers today’s state) is not taken for the past: the stream is said not to be replayed', async () => {
    answering({ rows: [row] });
    const past = await loadPast(at, places, [disbursementLike], undefined);
    expect(past.rows).toEqual({});
    expect(past.notReplayed).toEqual(['budget_fixture']);
  });
});
