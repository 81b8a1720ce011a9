import type { Role } from '../api/schemas.ts';
import type { Channel } from '../live/live-state.ts';
import type { WardMetric } from '../map/layer-props.ts';

/**
 * What each role sees (the api enforces access; this only avoids showing panels that would
 * answer 403): the IOC operator watches the map and the alerts, the health centre capacity
 * and vaccination, the evaluator KPIs and exports, the admin all of it and the users.
 */
export type View = 'map' | 'capacity' | 'vaccination' | 'prices' | 'dossiers' | 'alerts' | 'kpi' | 'users' | 'sources';
export const roleViews: Record<Role, readonly View[]> = {
  admin: ['map', 'alerts', 'capacity', 'vaccination', 'prices', 'dossiers', 'kpi', 'users', 'sources'],
  operator: ['map', 'alerts', 'capacity', 'prices', 'dossiers', 'sources'],
  health: ['map', 'capacity', 'vaccination', 'alerts'],
  evaluator: ['kpi'],
};
export const roleChannels: Record<Role, readonly Channel[]> = {
  admin: ['capacity', 'vaccination', 'prices', 'dossiers', 'alerts'],
  operator: ['capacity', 'vaccination', 'prices', 'dossiers', 'alerts'],
  health: ['capacity', 'vaccination', 'alerts'],
  evaluator: [],
};
export const roleMetrics: Record<Role, readonly WardMetric[]> = {
  // the default (first) colour is one that varies across the city and over the day
  admin: ['oxygenOccupancy', 'onlineShare', 'coverageDose1', 'coverageDose2'],
  operator: ['oxygenOccupancy', 'onlineShare', 'coverageDose1', 'coverageDose2'],
  health: ['oxygenOccupancy', 'coverageDose1', 'coverageDose2'],
  evaluator: [],
};
export const mayAcknowledge = (r: Role) => r === 'admin' || r === 'operator';
export const mayExport = (r: Role) => r === 'admin' || r === 'evaluator';
