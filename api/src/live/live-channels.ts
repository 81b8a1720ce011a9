import type { ClickHouseClient } from '@clickhouse/client';
import type { AnyEvent, Logger, StreamName } from '@haidang/stream';
import type { Sessions } from '../auth/session.ts';
import type { App } from '../http/app-types.ts';
import type { Places } from '../places.ts';

export interface LiveOptions {
  framesPerSecond: number;
  maxHttpBufferSize: number;
}
export function attachLive(_app: App, _d: { sessions: Sessions; corsOrigins: string[]; logger: Logger; store: ClickHouseClient; places: Places; options?: Partial<LiveOptions> | undefined }) {
  return { onStored: (_s: StreamName, _e: AnyEvent[]) => {}, publishAlert: (_a: unknown) => {}, close: async () => {} };
}
