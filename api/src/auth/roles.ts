import { descriptors, roleNames, type DataStreamName, type RoleName } from '@haidang/stream';

/**
 * Roles and what each may read. The IOC operator watches everything live; the health
 * centre sees capacity and vaccination; evaluators read KPIs and export; admin does all
 * and manages users. Who may read a data stream is its descriptor's `roles`
 * (stream/src/streams/<name>/descriptor.ts); the rest is listed here.
 */
export const roles = roleNames;
export type Role = RoleName;

const other = {
  freshness: ['admin', 'operator', 'health', 'evaluator'],
  /** the streams manifest: every signed-in role (each sees the streams it may read) */
  manifest: ['admin', 'operator', 'health', 'evaluator'],
  kpi: ['admin', 'operator', 'evaluator'],
  export: ['admin', 'evaluator'],
  alerts: ['admin', 'operator', 'health'],
  forecast: ['admin', 'operator', 'health'],
  acknowledge: ['admin', 'operator'],
  users: ['admin'],
  audit: ['admin'],
  sources: ['admin'],
  sourceHealth: ['admin', 'operator'],
  deadletters: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Resource = DataStreamName | keyof typeof other;

export const access: Readonly<Record<Resource, readonly Role[]>> = { ...(Object.fromEntries(descriptors.map((d) => [d.name, d.roles])) as Record<DataStreamName, readonly Role[]>), ...other };

export const mayAccess = (role: Role, resource: Resource) => access[resource].includes(role);
