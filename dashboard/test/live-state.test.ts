import { describe, expect, it } from 'vitest';
import type { AlertEpisode, FacilityRow, PriceRow, WardVaccination } from '../src/api/schemas.ts';
import { mergeCapacity, mergeDossiers, mergePrices, mergeVaccination } from '../src/live/dedicated-rows.ts';
import { livePlan } from '../src/live/live-plan.ts';
import { emptyLive, liveReducer as reducerOf, mergeAlerts } from '../src/live/live-state.ts';
import { fourStreams } from './fixtures/four-streams.ts';

const liveReducer = reducerOf(livePlan(fourStreams.streams));

const facility: FacilityRow = {
  facility: 'bv-a', name: 'Bệnh viện A', ward: '26506', tier: 2, bedsTotal: 100, bedsOccupied: 50, freeBeds: 50, oxygenBedsTotal: 40, oxygenBedsOccupied: 10, freeOxygenBeds: 30, oxygenOccupancy: 0.25,
  icuBedsTotal: 5, icuBedsOccupied: 1, ventilatorsTotal: 2, ventilatorsInUse: 0, oxygenStockLitres: 1000, observedAt: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:01.000Z',
};

describe('capacity', () => {
  it('a report replaces its facility and tier, keeps the name, recomputes free beds and occupancy', () => {
    const next = mergeCapacity([facility], [{ entity: 'bv-a', tier: 2, bedsTotal: 100, bedsOccupied: 90, oxygenBedsTotal: 40, oxygenBedsOccupied: 36, observedAt: '2026-01-01T00:15:00.000Z' }]);
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ name: 'Bệnh viện A', freeOxygenBeds: 4, oxygenOccupancy: 0.9, freeBeds: 10 });
  });
  it('another tier of the same facility is a row of its own', () => {
    expect(mergeCapacity([facility], [{ entity: 'bv-a', tier: 3, oxygenBedsTotal: 10, oxygenBedsOccupied: 0 }])).toHaveLength(2);
  });
  it('a late report does not undo a newer one', () => {
    const next = mergeCapacity([facility], [{ entity: 'bv-a', tier: 2, oxygenBedsTotal: 40, oxygenBedsOccupied: 40, observedAt: '2025-12-31T23:00:00.000Z' }]);
    expect(next[0]!.oxygenBedsOccupied).toBe(10);
  });
  it('no delta keeps the same array (nothing to redraw)', () => {
    const rows = [facility];
    expect(mergeCapacity(rows, [])).toBe(rows);
  });
});

describe('counts add up', () => {
  const ward: WardVaccination = { ward: '26506', name: 'Phường 1', population: 1000, doses: 10, dose1: 10, dose2: 0, booster: 0, coverageDose1: 0.01, coverageDose2: 0, observedAt: '', receivedAt: '' };
  it('vaccination doses add to the dose number and coverage follows', () => {
    const next = mergeVaccination([ward], [{ entity: '26506', doseNumber: 1, doses: 90 }, { entity: '26506', doseNumber: 3, doses: 5 }]);
    expect(next[0]).toMatchObject({ dose1: 100, booster: 5, doses: 105, coverageDose1: 0.1 });
    expect(ward.dose1).toBe(10); // the previous state is not mutated
  });
  it('dossier counts add and the shares are recomputed', () => {
    const next = mergeDossiers([], [{ entity: 'ubnd-1', received: 10, receivedOnline: 4, resolved: 5, resolvedOnTime: 5 }, { entity: 'ubnd-1', received: 10, receivedOnline: 8, resolved: 5, resolvedOnTime: 4 }]);
    expect(next[0]).toMatchObject({ received: 20, receivedOnline: 12, onlineShare: 0.6, onTimeRate: 0.9 });
  });
});

describe('prices', () => {
  const row: PriceRow = { market: 'cho-1', marketName: 'Chợ 1', ward: null, commodity: 'rice', unit: 'kg', priceVnd: 10000, shortage: null, baselineVnd: 10000, baselineSource: 'median-7d', deviation: 0, observedAt: '2026-01-01T00:00:00Z', receivedAt: '' };
  it('a new price is judged against the snapshot baseline', () => {
    const next = mergePrices([row], [{ entity: 'cho-1', commodity: 'rice', unit: 'kg', priceVnd: 11500, observedAt: '2026-01-01T01:00:00Z' }]);
    expect(next[0]!.deviation).toBeCloseTo(0.15);
    expect(next[0]!.marketName).toBe('Chợ 1');
  });
});

describe('alerts and the reducer', () => {
  const alert = (id: string, startedAt: string, ack: string | null = null): AlertEpisode => ({ episodeId: id, ruleId: 'r', entity: 'e', series: '', state: 'firing', severity: 'critical', value: 0.9, threshold: 0.85, message: { vi: 'x', en: 'x' }, startedAt, resolvedAt: null, acknowledgedBy: ack, acknowledgedAt: null, ackComment: null });
  it('an episode update replaces it; newest first', () => {
    const next = mergeAlerts([alert('a', '2026-01-01'), alert('b', '2026-01-02')], [alert('a', '2026-01-01', 'op')]);
    expect(next.map((a) => a.episodeId)).toEqual(['b', 'a']);
    expect(next[1]!.acknowledgedBy).toBe('op');
  });
  it('an alert list read before a live episode was stored does not drop that episode', () => {
    let s = liveReducer(emptyLive, { type: 'delta', frame: { alerts: [alert('live', '2026-01-03')] }, at: 1 });
    s = liveReducer(s, { type: 'snapshot', channel: 'alerts', rows: [alert('old', '2026-01-01')], at: 2 });
    expect(s.alerts.map((a) => a.episodeId)).toEqual(['live', 'old']);
  });
  it('a snapshot then a delta frame: only the channels in the frame change identity and time', () => {
    let s = liveReducer(emptyLive, { type: 'snapshot', channel: 'capacity', rows: [facility], at: 1 });
    s = liveReducer(s, { type: 'snapshot', channel: 'vaccination', rows: [], at: 1 });
    const vaccination = s.streams.vaccination;
    s = liveReducer(s, { type: 'delta', frame: { capacity: [{ entity: 'bv-a', tier: 2, oxygenBedsTotal: 40, oxygenBedsOccupied: 20 }] }, at: 2 });
    expect((s.streams.capacity![0] as FacilityRow).oxygenBedsOccupied).toBe(20);
    expect(s.streams.vaccination).toBe(vaccination);
    expect(s.updatedAt).toEqual({ capacity: 2, vaccination: 1 });
  });
});
