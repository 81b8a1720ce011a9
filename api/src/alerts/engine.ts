import type { ClickHouseClient } from '@clickhouse/client';
import type { AnyEvent, Logger, StreamName } from '@haidang/stream';
import type { AlertRule } from './rules.ts';

export class AlertEngine {
  constructor(_o: { store: ClickHouseClient; logger: Logger; rules?: AlertRule[] | undefined }) {}
  async load() {}
  onStored(_s: StreamName, _e: AnyEvent[]) {}
  onChange(_f: (a: unknown) => void) {}
  async close() {}
}
