/**
 * Roles and what each may read. The IOC operator watches everything live; the health
 * centre sees capacity and vaccination; evaluators read KPIs and export; admin does all
 * and manages users.
 */
export const roles = ['admin', 'operator', 'health', 'evaluator'] as const;
export type Role = (typeof roles)[number];

export const access = {
  capacity: ['admin', 'operator', 'health', 'evaluator'],
  vaccination: ['admin', 'operator', 'health', 'evaluator'],
  prices: ['admin', 'operator', 'evaluator'],
  dossiers: ['admin', 'operator', 'evaluator'],
  freshness: ['admin', 'operator', 'health', 'evaluator'],
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
export type Resource = keyof typeof access;

export const mayAccess = (role: Role, resource: Resource) => (access[resource] as readonly Role[]).includes(role);
