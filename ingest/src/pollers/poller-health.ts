import type { DataStreamName } from '@haidang/stream';
import type { PollerKind } from './poller-config.ts';
import type { RejectedRecord } from './polled-page.ts';

/** What the api (and `haidang poll`) can tell about one poller: is it keeping up, and if not why. */
export interface PollerHealth {
  name: string;
  kind: PollerKind;
  stream: DataStreamName;
  /** the events' `source` */
  source: string;
  /** ok: last run succeeded; failing: the last attempt failed (backing off); idle: not run yet */
  status: 'idle' | 'ok' | 'failing';
  running: boolean;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: { code: string; message: string } | null;
  /** failed attempts since the last success */
  consecutiveFailures: number;
  nextRunAt: string | null;
  cursor: string | null;
  totals: { published: number; alreadyStored: number; rejected: number };
  /** the latest upstream records that could not be read or mapped (at most 20) */
  recentRejects: Array<RejectedRecord & { at: string }>;
}
