import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger, TopicNames, Transport } from '@haidang/stream';
import type { CityPack } from '@haidang/city';
import { DossierStatsAdapter } from './adapters/dossier-stats.ts';
import { FhirCapacityAdapter } from './adapters/fhir-capacity.ts';
import { ImmunisationExportAdapter } from './adapters/immunisation-export.ts';
import { PriceBulletinAdapter } from './adapters/price-bulletin.ts';
import { CursorStore } from './cursor-store.ts';
import type { PollerKind, PollersFile } from './poller-config.ts';
import { PollerError } from './poller-error.ts';
import type { PollerHealth } from './poller-health.ts';
import { migratePollers } from './poller-migrations.ts';
import { Poller } from './poller.ts';
import type { AdapterContext, PollerAdapter } from './polled-page.ts';
import { UpstreamHttp } from './upstream-http.ts';

const adapters: Record<PollerKind, new (ctx: AdapterContext) => PollerAdapter> = {
  'fhir-capacity': FhirCapacityAdapter,
  'immunisation-export': ImmunisationExportAdapter,
  'price-bulletin': PriceBulletinAdapter,
  'dossier-stats': DossierStatsAdapter,
};

export interface PollerSetOptions {
  config: PollersFile;
  pack: CityPack;
  transport: Transport;
  topics: TopicNames;
  store: ClickHouseClient;
  logger: Logger;
  /** where tokens are read from (default process.env) */
  env?: Record<string, string | undefined>;
  now?: () => Date;
  /** skip the cursor table's migration (the caller ran it) */
  migrated?: boolean;
}

export interface PollerSet {
  readonly pollers: readonly Poller[];
  /** each poller's health, for the api and `haidang poll` */
  health(): PollerHealth[];
  /** every poller once, concurrently; true when all succeeded */
  runOnce(): Promise<boolean>;
  /** every poller on its schedule */
  start(): void;
  stop(): Promise<void>;
}

/** Builds the configured pollers (validated config as data), after migrating the cursor table. */
export async function createPollers(o: PollerSetOptions): Promise<PollerSet> {
  if (!o.migrated) await migratePollers(o.store, o.logger);
  const env = o.env ?? process.env;
  const cursors = new CursorStore(o.store);
  const logger = o.logger.child({ component: 'pollers' });
  const now = o.now ?? (() => new Date());
  const pollers = o.config.pollers.map((spec) => {
    const token = spec.tokenEnv ? env[spec.tokenEnv] : undefined;
    if (spec.tokenEnv && !token) throw new PollerError('HD_POLLER_CONFIG_INVALID', `poller ${spec.name}: environment variable ${spec.tokenEnv} (its token) is not set`, { poller: spec.name });
    const http = new UpstreamHttp({ poller: spec.name, timeoutMs: spec.timeoutMs, token });
    const adapter = new adapters[spec.kind]({ spec, http, pack: o.pack, now });
    return new Poller(spec, adapter, { transport: o.transport, topics: o.topics, store: o.store, cursors, logger, now });
  });
  return {
    pollers,
    health: () => pollers.map((p) => p.health()),
    runOnce: async () => (await Promise.all(pollers.map((p) => p.runOnce()))).every(Boolean),
    start: () => pollers.forEach((p) => p.start()),
    stop: async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    },
  };
}
