import { ageShare, type AgeGroup } from './age-groups.ts';
import type { CityPack } from '@haidang/city';
import { at, type LocalTime } from './local-time.ts';
import { createRng, type Rng } from './prng.ts';
import type { Model, Reading } from './sim-event.ts';

/**
 * Vaccination campaigns rolled out ward by ward, shaped like the 2022 national ones: children
 * 5–11 (two doses), boosters for 12–17, a second booster for adults. Each ward gets a block of
 * campaign days (wards start one after another over the first half of the window); outside
 * it the station gives a trickle. Doses are drawn so a ward never vaccinates more people of
 * an age group than it has: cumulative doses per (ward, age group, dose) ≤ its population share.
 */
interface Course {
  ageGroup: AgeGroup;
  doseNumber: number;
  vaccine: string;
  /** share of the age group that takes this dose over a campaign */
  uptake: number;
}

const courses: Course[] = [
  { ageGroup: '5-11', doseNumber: 1, vaccine: 'Pfizer-BioNTech (paediatric)', uptake: 0.8 },
  { ageGroup: '5-11', doseNumber: 2, vaccine: 'Pfizer-BioNTech (paediatric)', uptake: 0.6 },
  { ageGroup: '12-17', doseNumber: 3, vaccine: 'Pfizer-BioNTech', uptake: 0.55 },
  { ageGroup: '18-49', doseNumber: 4, vaccine: 'Moderna', uptake: 0.35 },
  { ageGroup: '50-64', doseNumber: 4, vaccine: 'Moderna', uptake: 0.5 },
  { ageGroup: '65+', doseNumber: 4, vaccine: 'Moderna', uptake: 0.6 },
];

/** share of a campaign's doses given outside the ward's own block, at the station */
const trickleShare = 0.1;
/** a campaign block lasts this share of the window */
const blockLength = 0.3;
/** doses reach the National Immunization Information System, except a few pushed late */
const pushedShare = 0.97;

/** vaccination sessions: 07:30–11:00 and 13:30–16:30, Monday to Saturday */
function clinicOpen(l: LocalTime): boolean {
  if (l.weekday === 0) return false;
  return (l.minuteOfDay > at(7, 30) && l.minuteOfDay <= at(11)) || (l.minuteOfDay > at(13, 30) && l.minuteOfDay <= at(16, 30));
}
/** open clinic minutes in a week: 6 days × (210 + 180) */
const clinicMinutesPerWeek = 6 * (210 + 180);

interface Line {
  course: Course;
  /** most doses this ward can give on this line */
  ceiling: number;
  target: number;
  given: number;
}

interface WardState {
  code: string;
  rng: Rng;
  blockStart: number;
  lines: Line[];
}

export function vaccinationCampaign(pack: CityPack, seed: number, windowMinutes: number): Model {
  const wards = pack.wards.features.map((f) => f.properties);
  const stagger = wards.length > 1 ? (1 - blockLength) / 2 / (wards.length - 1) : 0;
  // open clinic minutes in one block and in the whole window (weeks are 10,080 minutes)
  const windowClinicMinutes = (windowMinutes / 10_080) * clinicMinutesPerWeek;
  const blockClinicMinutes = Math.max(1, windowClinicMinutes * blockLength);
  const states: WardState[] = wards.map((w, i) => ({
    code: w.code,
    rng: createRng(seed, `vaccination:${w.code}`),
    blockStart: i * stagger,
    lines: courses.map((course) => {
      const ceiling = Math.floor(w.population * ageShare[course.ageGroup]);
      return { course, ceiling, target: Math.floor(ceiling * course.uptake), given: 0 };
    }),
  }));

  return {
    step: (step) => {
      if (!clinicOpen(step.local)) return [];
      const out: Reading[] = [];
      for (const s of states) {
        const inBlock = step.progress >= s.blockStart && step.progress < s.blockStart + blockLength;
        for (const line of s.lines) {
          const perMinute = inBlock ? (line.target * (1 - trickleShare)) / blockClinicMinutes : (line.target * trickleShare) / Math.max(1, windowClinicMinutes);
          const doses = Math.min(line.ceiling - line.given, s.rng.poisson(perMinute * step.stepMinutes));
          if (doses <= 0) continue;
          line.given += doses;
          const { ageGroup, doseNumber, vaccine } = line.course;
          out.push({ stream: 'vaccination', entity: s.code, payload: { doseNumber, vaccine, ageGroup, doses, pushedToNiis: s.rng.chance(pushedShare) } });
        }
      }
      return out;
    },
  };
}
