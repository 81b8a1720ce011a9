import type { AuditLog } from '../audit/audit-log.ts';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import type { AlertEngine } from './engine.ts';

export function alertRoutes(_app: App, _d: { sessions: Sessions; audit: AuditLog; alerts: AlertEngine }): void {}
