import { v7 } from 'uuid';
import type { CityPack } from '@haidang/city';
import { descriptorModels } from './descriptor-models.ts';
import { dossierPattern } from './dossier-pattern.ts';
import { epidemicWave } from './epidemic-wave.ts';
import { localClock } from './local-time.ts';
import { pickShockCommodity, priceShock } from './price-shock.ts';
import { createRng } from './prng.ts';
import type { DataEvent, Model, Reading } from './sim-event.ts';
import { vaccinationCampaign } from './vaccination-campaign.ts';

export interface GenerateOptions {
  /** same seed, same pack, same window → the same events, ids included */
  seed: number;
  start: Date | string | number;
  end: Date | string | number;
  /** simulated minutes per step; readings are "as of" the end of each step */
  stepMinutes: number;
  /** commodity hit by the price shock; default: picked from the seed */
  shockCommodity?: string;
  /** envelope `source`; default `simulator:<pack id>` */
  source?: string;
}

/** how late a report reaches Hải Đăng after the instant it describes, seconds */
const delaySeconds = { min: 2, max: 90 };

/** an instant given as a Date, an ISO string or epoch ms → epoch ms */
export function toMs(v: Date | string | number, name: string): number {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date: ${String(v)}`);
  return ms;
}

export interface Scenario {
  startMs: number;
  endMs: number;
  stepMs: number;
  steps: number;
  shockCommodity: string | undefined;
  /** events of every step, in order; each step's events sorted by receivedAt */
  run(): Generator<DataEvent[], void, undefined>;
}

/**
 * The simulated city over one window, step by step. Lazy, so a live run over weeks holds one
 * step in memory; pure, so a backtest can regenerate exactly what a live run published.
 */
export function scenario(pack: CityPack, o: GenerateOptions): Scenario {
  const startMs = toMs(o.start, 'start');
  const endMs = toMs(o.end, 'end');
  if (!(endMs > startMs)) throw new RangeError(`end (${new Date(endMs).toISOString()}) must be after start (${new Date(startMs).toISOString()})`);
  if (!Number.isInteger(o.stepMinutes) || o.stepMinutes < 1 || o.stepMinutes > 1440) throw new RangeError(`stepMinutes must be a whole number from 1 to 1440, got ${o.stepMinutes}`);
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  const stepMs = o.stepMinutes * 60_000;
  const steps = Math.floor((endMs - startMs) / stepMs);
  const windowMinutes = (endMs - startMs) / 60_000;
  const source = o.source ?? `simulator:${pack.manifest.id}`;
  const shockCommodity = pickShockCommodity(pack, o.seed, o.shockCommodity);

  function* run(): Generator<DataEvent[], void, undefined> {
    // models are built here, not above, so every run() starts the city afresh
    // the four first streams' models live here; a stream added since brings its own (descriptor's `simulate`)
    const models: Model[] = [epidemicWave(pack, o.seed), vaccinationCampaign(pack, o.seed, windowMinutes), priceShock(pack, o.seed, windowMinutes, shockCommodity), dossierPattern(pack, o.seed), ...descriptorModels(pack, o.seed, windowMinutes)];
    const envelopeRng = createRng(o.seed, 'envelope');
    const local = localClock(pack.manifest.timezone);
    for (let k = 1; k <= steps; k++) {
      const t = startMs + k * stepMs;
      const step = { t, stepMinutes: o.stepMinutes, progress: (t - startMs) / (endMs - startMs), local: local(t) };
      const observedAt = new Date(t).toISOString();
      const events = models
        .flatMap((m) => m.step(step))
        .map((r: Reading) => {
          const received = t + Math.round(envelopeRng.range(delaySeconds.min, delaySeconds.max) * 1000);
          return { id: v7({ msecs: received, random: envelopeRng.bytes16() }), version: 1, source, observedAt, receivedAt: new Date(received).toISOString(), ...r } as DataEvent;
        })
        .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
      yield events;
    }
  }
  return { startMs, endMs, stepMs, steps, shockCommodity, run };
}

/** Every event of the window, in publishing order. Pure: same inputs, same output. */
export function generateEvents(pack: CityPack, o: GenerateOptions): DataEvent[] {
  return [...scenario(pack, o).run()].flat();
}
