import { allDescriptors, type SimulatedStep } from '@haidang/stream';
import type { CityPack } from '@haidang/city';
import { createRng } from './prng.ts';
import type { Model, Reading, Step } from './sim-event.ts';

/** the pack's entities of a stream: its list named by the descriptor (`entity.places`), or a GeoJSON collection's feature properties */
function entitiesOf(pack: CityPack, places: string, idField: string): Array<Record<string, unknown> & { id: string }> {
  const held = (pack as unknown as Record<string, unknown>)[places];
  const list = Array.isArray(held) ? held : held && typeof held === 'object' && Array.isArray((held as { features?: unknown }).features) ? (held as { features: Array<{ properties: unknown }> }).features.map((f) => f.properties) : [];
  return (list as Array<Record<string, unknown>>).map((e) => ({ ...e, id: String(e[idField]) }));
}

/** year, month (1–12) and day of `ms` in `timeZone` */
function localDate(timeZone: string): (ms: number) => { year: number; month: number; day: number } {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
  return (ms) => {
    const parts = fmt.formatToParts(ms);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
    return { year: get('year'), month: get('month'), day: get('day') };
  };
}

/**
 * The simulated city's part of every stream whose descriptor has a `simulate` hook
 * (stream/src/streams/<name>/): a new stream simulates itself without a change here. Each
 * hook draws from its own seeded sequences (`random(label)`), forked by stream and label.
 */
export function descriptorModels(pack: CityPack, seed: number, windowMinutes: number): Model[] {
  const date = localDate(pack.manifest.timezone);
  return allDescriptors.flatMap((d) => {
    if (!d.simulate) return [];
    const hook = d.simulate({
      seed,
      windowMinutes,
      entities: entitiesOf(pack, d.entity.places, d.entity.idField ?? 'id'),
      random: (label) => {
        const rng = createRng(seed, `${d.name}:${label}`);
        return () => rng.next();
      },
    });
    return [
      {
        step(s: Step): Reading[] {
          const step: SimulatedStep = { t: s.t, stepMinutes: s.stepMinutes, progress: s.progress, local: { ...s.local, ...date(s.t) } };
          return hook.step(step).map((r) => ({ stream: d.name, entity: r.entity, payload: r.payload }) as unknown as Reading);
        },
      },
    ];
  });
}
