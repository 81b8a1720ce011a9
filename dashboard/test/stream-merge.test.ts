import type { ManifestStream } from '@haidang/stream/manifest';
import { manifest } from '@haidang/stream/manifest';
import { describe, expect, it } from 'vitest';
import { followed, livePlan, snapshotRows } from '../src/live/live-plan.ts';
import { emptyLive, liveReducer } from '../src/live/live-state.ts';
import { rowsIn, streamMerge } from '../src/live/stream-merge.ts';
import { disbursementLike, fixtureManifest } from './fixtures/manifest.ts';

const gauge: ManifestStream = {
  ...disbursementLike,
  name: 'levels',
  kind: 'gauge',
  fields: [
    { name: 'station', type: 'string', label: { vi: 'Trạm', en: 'Station' }, summed: false, dimension: true },
    { name: 'level', type: 'number', label: { vi: 'Mực nước', en: 'Level' }, unit: 'cm', summed: false, dimension: false },
    { name: 'capacity', type: 'number', label: { vi: 'Sức chứa', en: 'Capacity' }, summed: false, dimension: false },
  ],
  ratios: [{ name: 'fill', numerator: 'level', denominator: 'capacity', label: { vi: 'Mức đầy', en: 'Fill' } }],
};

describe('the generic merge, read from the manifest', () => {
  it('the fixture manifest is a valid manifest (the api’s own schema)', () => {
    expect(manifest.safeParse(fixtureManifest).success).toBe(true);
  });

  it('gauge: a report replaces the row of its entity and dimension values; another dimension value is a row of its own', () => {
    const merge = streamMerge(gauge);
    let rows = merge([], [{ entity: 'a', station: 's1', level: 10, capacity: 100, observedAt: '2026-01-01T00:00:00Z' }]);
    rows = merge(rows, [{ entity: 'a', station: 's1', level: 40, capacity: 100, observedAt: '2026-01-01T01:00:00Z' }, { entity: 'a', station: 's2', level: 5, capacity: 50, observedAt: '2026-01-01T01:00:00Z' }]);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.station === 's1')).toMatchObject({ level: 40, fill: 0.4, observedAt: '2026-01-01T01:00:00Z' });
    expect(rows.find((r) => r.station === 's2')).toMatchObject({ level: 5, fill: 0.1 });
  });

  it('gauge: a late report does not undo a newer one; the snapshot’s own fields (a name) are kept', () => {
    const merge = streamMerge(gauge);
    const rows = [{ entity: 'a', name: 'Trạm A', station: 's1', level: 40, capacity: 100, fill: 0.4, observedAt: '2026-01-01T01:00:00Z', receivedAt: '' }];
    expect(merge(rows, [{ entity: 'a', station: 's1', level: 90, capacity: 100, observedAt: '2026-01-01T00:30:00Z' }])).toBe(rows);
    const next = merge(rows, [{ entity: 'a', station: 's1', level: 50, capacity: 100, observedAt: '2026-01-01T02:00:00Z' }]);
    expect(next[0]).toMatchObject({ name: 'Trạm A', level: 50, fill: 0.5 });
  });

  it('counter: the summed fields add up, the others take the newest report, the ratio is recomputed', () => {
    const merge = streamMerge(disbursementLike);
    let rows = merge([], [{ entity: 'p1', month: '2026-11', planVnd: 1000, disbursedVnd: 100, progressPct: 10, behindSchedule: true, observedAt: '2026-11-30T00:00:00Z' }]);
    rows = merge(rows, [{ entity: 'p1', month: '2026-11', planVnd: 1000, disbursedVnd: 150, progressPct: 25, behindSchedule: false, observedAt: '2026-12-01T00:00:00Z' }]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ disbursedVnd: 250, planVnd: 1000, progressPct: 25, behindSchedule: false, disbursedShare: 0.25 });
    // a late report still counts (its amount happened), but does not overwrite the newest progress
    rows = merge(rows, [{ entity: 'p1', month: '2026-11', planVnd: 1000, disbursedVnd: 50, progressPct: 5, behindSchedule: true, observedAt: '2026-11-15T00:00:00Z' }]);
    expect(rows[0]).toMatchObject({ disbursedVnd: 300, progressPct: 25, behindSchedule: false, disbursedShare: 0.3, observedAt: '2026-12-01T00:00:00Z' });
  });

  it('a ratio over a zero denominator is no number, not Infinity', () => {
    const rows = streamMerge(disbursementLike)([], [{ entity: 'p2', month: '2026-11', planVnd: 0, disbursedVnd: 10 }]);
    expect(rows[0]!.disbursedShare).toBeNull();
  });

  it('the reducer routes a frame by the manifest’s channels: a manifest-only stream merges generically, an unknown channel is ignored', () => {
    const reduce = liveReducer(livePlan(fixtureManifest.streams));
    let s = reduce(emptyLive, { type: 'snapshot', channel: 'budget_fixture', rows: [{ entity: 'p1', month: '2026-11', planVnd: 1000, disbursedVnd: 100 }], at: 1 });
    const capacity = s.streams.capacity;
    s = reduce(s, { type: 'delta', frame: { budget_fixture: [{ entity: 'p1', month: '2026-11', disbursedVnd: 400 }], nobody: [{ entity: 'x' }] }, at: 2 });
    expect(s.streams.budget_fixture![0]).toMatchObject({ disbursedVnd: 500, disbursedShare: 0.5 });
    expect(s.streams.capacity).toBe(capacity);
    expect(Object.keys(s.streams)).toEqual(['budget_fixture']);
    expect(s.updatedAt).toEqual({ budget_fixture: 2 });
  });

  it('a generic snapshot (the api’s generic current state sends the fields only) gets its ratios; a dotted field is read out of its object', () => {
    const nested: ManifestStream = { ...gauge, fields: [...gauge.fields, { name: 'pumps.running', type: 'integer', label: { vi: 'Bơm chạy', en: 'Pumps running' }, summed: false, dimension: false }] };
    const rows = snapshotRows(followed(nested), { rows: [{ entity: 'a', station: 's1', level: 30, capacity: 60, pumps: { running: 2 }, observedAt: '2026-01-01T00:00:00Z' }] });
    expect(rows![0]).toMatchObject({ fill: 0.5, 'pumps.running': 2 });
    const next = streamMerge(nested)(rows!, [{ entity: 'a', station: 's1', level: 45, capacity: 60, pumps: { running: 3 }, observedAt: '2026-01-01T01:00:00Z' }]);
    expect(next[0]).toMatchObject({ fill: 0.75, 'pumps.running': 3 });
  });

  it('an api answer’s rows: a list, or the list an object holds', () => {
    expect(rowsIn([{ entity: 'a' }])).toEqual([{ entity: 'a' }]);
    expect(rowsIn({ from: 'x', projects: [{ entity: 'a' }] })).toEqual([{ entity: 'a' }]);
    expect(rowsIn({ nothing: 1 })).toBeUndefined();
  });
});
