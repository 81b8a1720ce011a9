import type { CityPack } from '@haidang/city';
import { at, type LocalTime } from './local-time.ts';
import { createRng, type Rng } from './prng.ts';
import type { Model, Reading } from './sim-event.ts';

/**
 * Administrative-procedure dossiers per agency. Counter dossiers arrive in office hours
 * (Mon–Fri 07:30–11:30, 13:30–17:00); online ones day and night, fewer at night and at
 * weekends. The online share climbs from 20% toward the plan's 50% over the window. Staff
 * resolve the queue in office hours, ~95% on time; a third of online dossiers are paid online
 * (level 4). Volumes are assumptions: 1 dossier per 1,000 residents per working day at a ward,
 * 0.4 per 1,000 residents of the whole city at the one-stop shop.
 */
const dailyPerResident = { ward: 1 / 1000, city: 0.4 / 1000 } as const;
const onlineShare = (progress: number) => 0.5 - 0.3 * Math.exp(-3 * progress);
const onTimeRate = 0.95;
const paidOnlineRate = 0.35;
/** a clerk clears the queue at this share per office hour */
const resolvePerHour = 0.25;

function officeOpen(l: LocalTime): boolean {
  if (l.weekday === 0 || l.weekday === 6) return false;
  return (l.minuteOfDay > at(7, 30) && l.minuteOfDay <= at(11, 30)) || (l.minuteOfDay > at(13, 30) && l.minuteOfDay <= at(17));
}
const officeMinutesPerDay = 240 + 210;

/** relative weight of online submissions at a local time: people file in the evening too */
function onlineWeight(l: LocalTime): number {
  const night = l.minuteOfDay < at(6) || l.minuteOfDay >= at(23);
  const weekend = l.weekday === 0 || l.weekday === 6;
  return (night ? 0.15 : 1) * (weekend ? 0.5 : 1);
}
/** sum of onlineWeight over a week's minutes, so a working day's online volume spreads over 7 days */
const onlineWeightPerWeek = Array.from({ length: 7 * 1440 }, (_, m) => onlineWeight({ weekday: Math.floor(m / 1440), minuteOfDay: m % 1440 })).reduce((a, b) => a + b, 0);

interface AgencyState {
  id: string;
  /** dossiers per working day */
  daily: number;
  rng: Rng;
  queue: number;
}

export function dossierPattern(pack: CityPack, seed: number): Model {
  const population = new Map(pack.wards.features.map((f) => [f.properties.code, f.properties.population]));
  const cityPopulation = [...population.values()].reduce((a, b) => a + b, 0);
  const states: AgencyState[] = pack.agencies.map((a) => ({
    id: a.id,
    daily: a.serves === 'city' ? cityPopulation * dailyPerResident.city : (population.get(a.wardCode) ?? 0) * dailyPerResident.ward,
    rng: createRng(seed, `dossiers:${a.id}`),
    queue: 0,
  }));

  return {
    step: (step) => {
      const open = officeOpen(step.local);
      const share = onlineShare(step.progress);
      const out: Reading[] = [];
      for (const s of states) {
        const weekly = s.daily * 5;
        const offlineMean = open ? ((weekly * (1 - share)) / (5 * officeMinutesPerDay)) * step.stepMinutes : 0;
        const onlineMean = ((weekly * share) / onlineWeightPerWeek) * onlineWeight(step.local) * step.stepMinutes;
        const receivedOnline = s.rng.poisson(onlineMean);
        const received = receivedOnline + s.rng.poisson(offlineMean);
        s.queue += received;
        const resolved = open ? Math.min(s.queue, s.rng.binomial(s.queue, Math.min(1, (resolvePerHour * step.stepMinutes) / 60))) : 0;
        s.queue -= resolved;
        if (received === 0 && resolved === 0) continue;
        const resolvedOnTime = s.rng.binomial(resolved, onTimeRate);
        out.push({
          stream: 'dossiers',
          entity: s.id,
          payload: { received, receivedOnline, resolved, resolvedOnTime, resolvedLate: resolved - resolvedOnTime, paidOnline: s.rng.binomial(receivedOnline, paidOnlineRate) },
        });
      }
      return out;
    },
  };
}
