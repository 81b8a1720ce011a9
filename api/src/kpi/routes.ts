import type { ClickHouseClient } from '@clickhouse/client';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import type { Places } from '../places.ts';

export function kpiRoutes(_app: App, _d: { store: ClickHouseClient; sessions: Sessions; places: Places }): void {}
