import type { ClickHouseClient } from '@clickhouse/client';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import type { Places } from '../places.ts';

export function exportRoutes(_app: App, _d: { store: ClickHouseClient; sessions: Sessions; audit: AuditLog; places: Places }): void {}
