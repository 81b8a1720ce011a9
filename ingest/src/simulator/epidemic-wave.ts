import type { CityPack, Facility } from '@haidang/city';
import { createRng, type Rng } from './prng.ts';
import { at, type LocalTime } from './local-time.ts';
import { clamp, wave, type Model, type Reading, type Step } from './sim-event.ts';

/**
 * Treatment capacity under one epidemic wave across the window: mild cases (tier 1) rise first,
 * tier-2 oxygen beds fill to ~98% around 40% of the window — past the 85% line, so occupancy
 * alerts fire — then drain; intensive care (tier 3) peaks a little later. Each facility
 * follows its tier's curve with its own slow noise, and reports every step.
 */
const tierCurve = {
  1: { peak: 0.33, width: 0.18, base: 0.1, amplitude: 0.8 },
  2: { peak: 0.4, width: 0.15, base: 0.15, amplitude: 0.83 },
  3: { peak: 0.46, width: 0.14, base: 0.2, amplitude: 0.75 },
} as const;

/** shares of oxygen patients by support, per tier (mask gets the rest) */
const supportShare = {
  1: { hfnc: 0, niv: 0, invasive: 0 },
  2: { hfnc: 0.2, niv: 0.1, invasive: 0.03 },
  3: { hfnc: 0.15, niv: 0.3, invasive: 0.5 },
} as const;

/** oxygen flow per patient, litres of gas per minute, by support */
const flowLpm = { mask: 5, hfnc: 40, niv: 15, invasive: 10, ecmo: 10 } as const;

/** a delivery refills the store when it falls below this share of a full one */
const refillBelow = 0.3;

interface FacilityState {
  f: Facility;
  rng: Rng;
  /** AR(1) deviation from the tier curve, as a share of capacity */
  noise: number;
  stock: number;
}

const dayShift = (l: LocalTime) => l.minuteOfDay >= at(7) && l.minuteOfDay < at(19);

function report(s: FacilityState, step: Step): Reading {
  const { f, rng } = s;
  const c = f.capacity;
  const curve = tierCurve[f.tier];
  s.noise = clamp(0.9 * s.noise + 0.015 * rng.normal(), -0.08, 0.08);
  const load = clamp(curve.base + curve.amplitude * wave(step.progress, curve.peak, curve.width) + s.noise, 0, 1);

  const oxygenBedsOccupied = Math.round(c.oxygenBeds * load);
  const otherBeds = c.beds - c.oxygenBeds;
  const bedsOccupied = Math.min(c.beds, oxygenBedsOccupied + Math.round(otherBeds * load * 0.8));
  const icuBedsOccupied = Math.min(c.icuBeds, Math.round(c.icuBeds * load));

  const share = supportShare[f.tier];
  const invasive = Math.min(c.ventilators, Math.round(oxygenBedsOccupied * share.invasive));
  // ECMO only where there is intensive care, and only near the top of the wave
  const ecmo = f.tier === 3 && load > 0.9 && oxygenBedsOccupied - invasive > 0 ? 1 : 0;
  const niv = Math.min(oxygenBedsOccupied - invasive - ecmo, Math.round(oxygenBedsOccupied * share.niv));
  const hfnc = Math.min(oxygenBedsOccupied - invasive - ecmo - niv, Math.round(oxygenBedsOccupied * share.hfnc));
  const mask = oxygenBedsOccupied - invasive - ecmo - niv - hfnc;
  const patientsBySupport = { mask, hfnc, niv, invasive, ecmo };

  const used = (Object.keys(flowLpm) as Array<keyof typeof flowLpm>).reduce((sum, k) => sum + patientsBySupport[k] * flowLpm[k], 0) * step.stepMinutes;
  s.stock = Math.max(0, s.stock - used);
  if (s.stock < refillBelow * c.oxygenStockLitres) s.stock = c.oxygenStockLitres;

  // one nurse or doctor per 4 occupied beds by day, per 8 by night, plus the two on call
  const staffOnDuty = 2 + Math.ceil(bedsOccupied / (dayShift(step.local) ? 4 : 8));
  return {
    stream: 'capacity',
    entity: f.id,
    payload: {
      tier: f.tier,
      bedsTotal: c.beds,
      bedsOccupied,
      oxygenBedsTotal: c.oxygenBeds,
      oxygenBedsOccupied,
      patientsBySupport,
      icuBedsTotal: c.icuBeds,
      icuBedsOccupied,
      ventilatorsTotal: c.ventilators,
      ventilatorsInUse: invasive,
      oxygenStockLitres: Math.round(s.stock),
      staffOnDuty,
    },
  };
}

export function epidemicWave(pack: CityPack, seed: number): Model {
  const states: FacilityState[] = pack.facilities.map((f) => {
    const rng = createRng(seed, `capacity:${f.id}`);
    return { f, rng, noise: 0, stock: f.capacity.oxygenStockLitres * rng.range(0.6, 1) };
  });
  return { step: (step) => states.map((s) => report(s, step)) };
}
