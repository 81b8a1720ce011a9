import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPackDir, loadCityPack, type CityPack } from '@haidang/city';
import { generateEvents, scenario, type DataEvent } from '../../src/index.ts';
import { capacityViolations, cumulativeViolations, schemaViolations, unknownEntities } from './invariants.ts';

const tinyDir = path.resolve(import.meta.dirname, '../../../city/test/fixtures/tiny-pack');
/** a 30-day window at 15-minute steps: long enough for the wave, the campaigns and the shock */
const month = { seed: 2022, start: '2022-08-01T00:00:00+07:00', end: '2022-08-31T00:00:00+07:00', stepMinutes: 15 } as const;

let pack: CityPack;
let events: DataEvent[];
beforeAll(async () => {
  pack = await loadCityPack(defaultPackDir);
  events = generateEvents(pack, month);
});

const ofStream = <S extends DataEvent['stream']>(s: S) => events.filter((e): e is Extract<DataEvent, { stream: S }> => e.stream === s);

describe('30 simulated days of Vũng Tàu', () => {
  it('produces all four streams', () => {
    for (const s of ['capacity', 'vaccination', 'prices', 'dossiers'] as const) expect(ofStream(s).length, s).toBeGreaterThan(1000);
  });

  it('every event passes its stream schema (streams[s].schema.safeParse)', () => {
    expect(schemaViolations(events).slice(0, 5)).toEqual([]);
  });

  it('occupied ≤ total for every pair', () => {
    expect(capacityViolations(events).slice(0, 5)).toEqual([]);
  });

  it('cumulative counts never fall and never pass their bounds', () => {
    expect(cumulativeViolations(pack, events).slice(0, 5)).toEqual([]);
  });

  it('names only entities of the pack, and no id twice', () => {
    expect(unknownEntities(pack, events)).toEqual([]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('gives v7 ids whose time is the receivedAt', () => {
    for (const e of events.slice(0, 200)) {
      expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(e.id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(e.receivedAt));
    }
  });

  it('keeps events within the window, received after observed, in publishing order', () => {
    const start = Date.parse(month.start);
    const end = Date.parse(month.end);
    const outside = events.filter((e) => {
      const obs = Date.parse(e.observedAt);
      return !(obs > start && obs <= end && Date.parse(e.receivedAt) > obs);
    });
    expect(outside.slice(0, 3)).toEqual([]);
    const obsTimes = events.map((e) => Date.parse(e.observedAt));
    expect(obsTimes.every((t, i) => i === 0 || t >= obsTimes[i - 1]!)).toBe(true);
  });

  it('fills tier-2 oxygen beds past 85% mid-window, then drains them', () => {
    const byDay = new Map<number, { occ: number; total: number }>();
    for (const e of ofStream('capacity')) {
      if (e.payload.tier !== 2) continue;
      const day = Math.floor((Date.parse(e.observedAt) - Date.parse(month.start)) / 86_400_000);
      const d = byDay.get(day) ?? { occ: 0, total: 0 };
      d.occ += e.payload.oxygenBedsOccupied;
      d.total += e.payload.oxygenBedsTotal;
      byDay.set(day, d);
    }
    const occupancy = [...byDay.keys()].sort((a, b) => a - b).map((d) => byDay.get(d)!.occ / byDay.get(d)!.total);
    const peakDay = occupancy.indexOf(Math.max(...occupancy));
    expect(Math.max(...occupancy)).toBeGreaterThan(0.85);
    expect(peakDay).toBeGreaterThan(5);
    expect(peakDay).toBeLessThan(20);
    expect(occupancy[0]).toBeLessThan(0.5);
    expect(occupancy.at(-1)).toBeLessThan(0.3);
  });

  it('shocks one commodity above 10% while the others stay within it', () => {
    const baseline = new Map(pack.commodities.map((c) => [c.id, c.baselineVnd]));
    const worst = new Map<string, number>();
    for (const e of ofStream('prices')) {
      const dev = Math.abs(e.payload.priceVnd / baseline.get(e.payload.commodity)! - 1);
      worst.set(e.payload.commodity, Math.max(worst.get(e.payload.commodity) ?? 0, dev));
    }
    const shocked = [...worst].filter(([, d]) => d > 0.1).map(([c]) => c);
    expect(shocked).toEqual([scenario(pack, month).shockCommodity]);
    expect(worst.get(shocked[0]!)).toBeGreaterThan(0.25);
    expect(ofStream('prices').some((e) => e.payload.shortage)).toBe(true);
  });

  it('vaccinates in every ward, in campaign blocks', () => {
    const wards = new Set(ofStream('vaccination').map((e) => e.entity));
    expect(wards.size).toBe(17);
  });

  it('takes counter dossiers only on weekdays in office hours, and online ones climb toward 50%', () => {
    const local = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000);
    const dossiers = ofStream('dossiers');
    for (const e of dossiers) {
      const offline = e.payload.received - e.payload.receivedOnline;
      if (offline === 0) continue;
      const t = local(e.observedAt);
      const minutes = t.getUTCHours() * 60 + t.getUTCMinutes();
      expect([0, 6]).not.toContain(t.getUTCDay());
      expect(minutes > 7 * 60 + 30 && minutes <= 17 * 60).toBe(true);
    }
    const share = (from: number, to: number) => {
      const week = dossiers.filter((e) => {
        const day = (Date.parse(e.observedAt) - Date.parse(month.start)) / 86_400_000;
        return day >= from && day < to;
      });
      return week.reduce((s, e) => s + e.payload.receivedOnline, 0) / week.reduce((s, e) => s + e.payload.received, 0);
    };
    const first = share(0, 7);
    const last = share(23, 30);
    expect(first).toBeLessThan(0.35);
    expect(last).toBeGreaterThan(0.4);
    expect(last).toBeLessThan(0.6);
  });
});

describe('determinism', () => {
  const week = { seed: 7, start: '2022-03-01T00:00:00+07:00', end: '2022-03-08T00:00:00+07:00', stepMinutes: 15 } as const;

  it('the same seed gives identical events, ids included', () => {
    const a = generateEvents(pack, week);
    const b = generateEvents(pack, week);
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('another seed gives another city', () => {
    const a = generateEvents(pack, week);
    const b = generateEvents(pack, { ...week, seed: 8 });
    expect(b.map((e) => e.id)).not.toEqual(a.map((e) => e.id));
  });

  it('a scenario run twice restarts from the same state', () => {
    const sc = scenario(pack, week);
    expect([...sc.run()].flat()).toEqual([...sc.run()].flat());
  });

  it('refuses a window that ends before it starts', () => {
    expect(() => generateEvents(pack, { ...week, end: week.start })).toThrow(/end .* must be after start/);
    expect(() => generateEvents(pack, { ...week, stepMinutes: 0 })).toThrow(/stepMinutes/);
  });
});

describe('the tiny pack', () => {
  it('simulates only its own entities, in its own time zone', async () => {
    const tiny = await loadCityPack(tinyDir);
    const ev = generateEvents(tiny, { seed: 1, start: '2022-05-02T00:00:00Z', end: '2022-05-16T00:00:00Z', stepMinutes: 30 });
    expect(unknownEntities(tiny, ev)).toEqual([]);
    expect(schemaViolations(ev)).toEqual([]);
    expect(cumulativeViolations(tiny, ev)).toEqual([]);
    expect(new Set(ev.map((e) => e.stream))).toEqual(new Set(['capacity', 'vaccination', 'prices', 'dossiers']));
    expect(new Set(ev.map((e) => e.source))).toEqual(new Set(['simulator:tiny-town']));
    // Lisbon is UTC+1 in May: the town hall's counter opens at 07:30 local = 06:30Z
    const counter = ev.filter((e) => e.stream === 'dossiers' && e.payload.received > e.payload.receivedOnline);
    expect(counter.length).toBeGreaterThan(0);
    for (const e of counter) {
      const h = new Date(e.observedAt).getUTCHours() + new Date(e.observedAt).getUTCMinutes() / 60;
      expect(h > 6.5 && h <= 16).toBe(true);
    }
    // bread is regulated, so the shock falls on salt
    expect(scenario(tiny, { seed: 1, start: '2022-05-02T00:00:00Z', end: '2022-05-16T00:00:00Z', stepMinutes: 30 }).shockCommodity).toBe('salt');
  });
});
