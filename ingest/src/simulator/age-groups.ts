import type { ageGroups } from '@haidang/stream';

export type AgeGroup = (typeof ageGroups)[number];

/**
 * Approximate share of each age group in a Vietnamese ward's population (2019 census shape,
 * rounded; the under-5s are the missing ~7%). Used where a pack has only a total population:
 * it bounds how many people of a group a ward can vaccinate.
 */
export const ageShare: Record<AgeGroup, number> = {
  '5-11': 0.11,
  '12-17': 0.085,
  '18-49': 0.5,
  '50-64': 0.16,
  '65+': 0.075,
};
