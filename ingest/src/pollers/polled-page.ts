import type { DataStreamName } from '@haidang/stream';
import type { CityPack } from '@haidang/city';
import type { PollerSpec } from './poller-config.ts';
import type { UpstreamHttp } from './upstream-http.ts';

/** One upstream record read and mapped to our payload; the envelope is added by the poller. */
export interface PolledRecord {
  /** the upstream's own id of the record (with `version`, it decides the event id) */
  upstreamId: string;
  version: string;
  entity: string;
  observedAt: string;
  payload: Record<string, unknown>;
}

/** An upstream record we could not read or map: reported in health, never silently dropped. */
export interface RejectedRecord {
  ref: string;
  reason: string;
}

export interface PolledPage {
  records: PolledRecord[];
  rejected: RejectedRecord[];
  /** where to resume once this page is published; null = unchanged */
  cursor: string | null;
}

export interface AdapterContext {
  spec: PollerSpec;
  http: UpstreamHttp;
  pack: CityPack;
  now: () => Date;
}

/** One kind of external system: reads pages changed since a cursor, oldest first. */
export interface PollerAdapter {
  readonly stream: DataStreamName;
  pages(cursor: string | null): AsyncGenerator<PolledPage>;
}
