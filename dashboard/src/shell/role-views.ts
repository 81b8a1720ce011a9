import type { ManifestStream } from '@haidang/stream/manifest';
import type { Role } from '../api/schemas.ts';
import type { WardMetric } from '../map/layer-props.ts';

/**
 * What each role sees (the api enforces access; this only avoids showing panels that would
 * answer 403). The data streams a role sees are the manifest's (their `roles`); what is
 * kept here is the wall's own: the map, the alerts, KPIs, sources and users, and whether the
 * role watches the live wall at all (the evaluator works on KPIs and exports, not live).
 */
export type View = 'map' | 'alerts' | 'kpi' | 'users' | 'sources';
export const roleViews: Record<Role, readonly View[]> = {
  admin: ['map', 'alerts', 'kpi', 'users', 'sources'],
  operator: ['map', 'alerts', 'sources'],
  health: ['map', 'alerts'],
  evaluator: ['kpi'],
};
const watchesLive: Record<Role, boolean> = { admin: true, operator: true, health: true, evaluator: false };

/** the manifest's streams the role follows live and sees panels of, in wall order */
export const liveStreams = (streams: readonly ManifestStream[], role: Role): ManifestStream[] => (watchesLive[role] ? streams.filter((s) => s.roles.includes(role)) : []);

/**
 * The map's ward colours, each drawn from a dedicated panel's stream; a role gets the ones
 * whose stream it follows. The default (first) is one that varies across the city and over the day.
 */
const wardMetricComponent: ReadonlyArray<[WardMetric, string]> = [
  ['oxygenOccupancy', 'capacity'],
  ['onlineShare', 'dossiers'],
  ['coverageDose1', 'vaccination'],
  ['coverageDose2', 'vaccination'],
];
export const wardMetricsOf = (streams: readonly ManifestStream[]): WardMetric[] => wardMetricComponent.filter(([, c]) => streams.some((s) => s.panel.component === c)).map(([m]) => m);

export const mayAcknowledge = (r: Role) => r === 'admin' || r === 'operator';
export const mayExport = (r: Role) => r === 'admin' || r === 'evaluator';
/** the health centre's "where can this oxygen patient go?" beside the capacity panel */
export const mayPlace = (r: Role) => r === 'health' || r === 'admin';
