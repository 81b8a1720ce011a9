/**
 * The roles of Hải Đăng's users. The IOC operator watches everything live; the health centre
 * sees capacity and vaccination; evaluators read KPIs and export; admin does all and manages
 * users. A stream's descriptor says which of them may read it (api/src/auth/roles.ts).
 */
export const roleNames = ['admin', 'operator', 'health', 'evaluator'] as const;
export type RoleName = (typeof roleNames)[number];
