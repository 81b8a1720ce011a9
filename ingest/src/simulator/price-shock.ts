import type { CityPack, Commodity, Market } from '@haidang/city';
import { at, stepPasses } from './local-time.ts';
import { createRng, type Rng } from './prng.ts';
import { clamp, type Model, type Reading } from './sim-event.ts';

/**
 * Essential-goods prices, reported by each market at 07:00 and 15:00 local time for the
 * commodities it sells. Prices stay within ±8% of the pack's baseline (a market's own premium
 * plus a slow drift), so the 10% deviation KPI is quiet — except for one commodity hit by a
 * supply shock: +30% over three days from 55% of the window, held three days, then easing
 * back over about a week, with some markets reporting shortages at the top.
 * State-capped goods (fuel) move only on the national adjustment dates, every 10 days.
 */
const reportTimes = [at(7), at(15)];

const shock = { start: 0.55, rampDays: 3, holdDays: 3, decayDays: 7, height: 0.3 } as const;
const regulatedCycleDays = 10;

/** extra price share from the shock at `daysIn` days after it started */
function shockShare(daysIn: number): number {
  if (daysIn < 0) return 0;
  if (daysIn < shock.rampDays) return (shock.height * daysIn) / shock.rampDays;
  if (daysIn < shock.rampDays + shock.holdDays) return shock.height;
  return shock.height * Math.exp(-(daysIn - shock.rampDays - shock.holdDays) / (shock.decayDays / 3));
}

interface Line {
  market: Market;
  commodity: Commodity;
  rng: Rng;
  premium: number;
  drift: number;
}

/**
 * The commodity hit by the shock: the one asked for, or one picked from the seed among the
 * unregulated ones (a capped price cannot spike); undefined when the pack has none.
 */
export function pickShockCommodity(pack: CityPack, seed: number, requested?: string): string | undefined {
  if (requested !== undefined) {
    if (!pack.commodities.some((c) => c.id === requested)) throw new Error(`shockCommodity "${requested}" is not in the pack's commodities`);
    return requested;
  }
  const free = pack.commodities.filter((c) => !c.regulated);
  return free[Math.floor(createRng(seed, 'prices:shock').next() * free.length)]?.id;
}

export function priceShock(pack: CityPack, seed: number, windowMinutes: number, shockCommodity: string | undefined): Model {
  const commodities = new Map(pack.commodities.map((c) => [c.id, c]));
  const lines: Line[] = pack.markets.flatMap((market) =>
    market.commodities.map((id) => {
      const rng = createRng(seed, `prices:${market.id}:${id}`);
      return { market, commodity: commodities.get(id)!, rng, premium: rng.range(-0.05, 0.05), drift: 0 };
    }),
  );
  // one national series per regulated commodity: the same cap everywhere
  const capRng = createRng(seed, 'prices:regulated');
  const windowDays = windowMinutes / 1440;
  const caps = new Map(pack.commodities.filter((c) => c.regulated).map((c) => [c.id, Array.from({ length: Math.ceil(windowDays / regulatedCycleDays) + 1 }, () => clamp(0.03 * capRng.normal(), -0.08, 0.08))]));

  return {
    step: (step) => {
      if (!reportTimes.some((m) => stepPasses(step.local, step.stepMinutes, m))) return [];
      const day = step.progress * windowDays;
      const out: Reading[] = [];
      for (const l of lines) {
        let share: number;
        let shortage = false;
        if (l.commodity.regulated) {
          share = caps.get(l.commodity.id)![Math.floor(day / regulatedCycleDays)] ?? 0;
        } else {
          l.drift = clamp(0.8 * l.drift + 0.01 * l.rng.normal(), -0.03, 0.03);
          share = l.premium + l.drift;
          if (l.commodity.id === shockCommodity) {
            const extra = shockShare(day - shock.start * windowDays);
            share += extra;
            shortage = extra > shock.height / 2 && l.rng.chance(0.5);
          }
        }
        // boards quote whole hundreds of đồng
        const priceVnd = Math.max(100, Math.round((l.commodity.baselineVnd * (1 + share)) / 100) * 100);
        out.push({ stream: 'prices', entity: l.market.id, payload: { commodity: l.commodity.id, unit: l.commodity.unit, priceVnd, ...(shortage ? { shortage } : {}) } });
      }
      return out;
    },
  };
}
