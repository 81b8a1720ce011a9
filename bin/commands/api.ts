import type { ClickHouseClient } from '@clickhouse/client';
import { buildServer, cityEvaluationOf, installLastResort, judgedStreams, storedFeed, takeApiConfig, type ApiConfig, type ApiDeps, type Places } from '@haidang/api';
import { loadCityPack, streamPlacesOf, type CityPack } from '@haidang/city';
import { ingestRoutes } from '@haidang/ingest';
import { allDescriptors, createLogger, describeMode, LiveTail, migrate, openStore, storeOptionsFrom, openTransport, TopicNames, type Config, type Logger, type Processor, type ReadinessCheck, HaiDangError } from '@haidang/stream';
import { configFrom } from './flags.ts';
import { exitOnSignal } from './pipeline.ts';

/** the city pack's places, as the api needs them */
export function placesOf(pack: CityPack): Places {
  return {
    wards: pack.wards.features.map((f) => ({ code: f.properties.code, name: f.properties.name, population: f.properties.population })),
    facilities: pack.facilities.map((f) => ({ id: f.id, name: f.name, tier: f.tier, wardCode: f.wardCode, lat: f.location.lat, lon: f.location.lon })),
    markets: pack.markets.map((m) => ({ id: m.id, name: m.name, wardCode: m.wardCode, lat: m.location.lat, lon: m.location.lon })),
    agencies: pack.agencies.map((a) => ({ id: a.id, name: a.name, wardCode: a.wardCode })),
    commodities: pack.commodities.map((c) => ({ id: c.id, name: c.name, unit: c.unit, baselineVnd: c.baselineVnd })),
    city: cityEvaluationOf(pack),
    // the pack's cadences over each stream's default (a pack need not name every stream)
    cadence: pack.manifest.cadence && ({ ...Object.fromEntries(allDescriptors.map((d) => [d.name, d.cadence])), ...pack.manifest.cadence } as Places['cadence']),
    timezone: pack.manifest.timezone,
    // the entity lists of streams added since (projects, …): the key catalogue checks reports against them
    ...streamPlacesOf(pack),
  };
}

export interface ApiHandle {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the api on `port` (0 = any free port) beside what is already open: the store, and
 * the processor when this process runs one (live channels and alerts follow it). The parts are
 * composed here: the api, and ingest's push routes and source keys mounted on it.
 */
export async function startApi(deps: { config: Config; logger: Logger; store: ClickHouseClient; processor?: Processor; ops?: ApiDeps['ops']; transport?: ApiDeps['transport']; topics?: ApiDeps['topics']; sourceHealth?: ApiDeps['sourceHealth']; liveSource?: ApiDeps['liveSource']; alertSource?: ApiDeps['alertSource'] }, api: ApiConfig, port: number): Promise<ApiHandle> {
  const pack = await loadCityPack();
  const app = await buildServer({ store: deps.store, processor: deps.processor, logger: deps.logger, auth: api.auth, corsOrigins: api.corsOrigins, rateLimits: { global: { max: api.requestsPerMinute, timeWindow: 60_000 } }, live: api.live, places: placesOf(pack), parts: [ingestRoutes()], transport: deps.transport, topics: deps.topics, sourceHealth: deps.sourceHealth, liveSource: deps.liveSource, alertSource: deps.alertSource, ops: deps.ops ?? { metricsToken: deps.config.HAIDANG_METRICS_TOKEN } });
  // the tables (the api's and ingest's), the first admin, the live channels and the alert loops
  try {
    await app.start();
    await app.listen({ port, host: deps.config.HAIDANG_HOST });
  } catch (e) {
    await app.close();
    throw e;
  }
  // the last resort: a request's error is logged, not fatal (inputs are validated before that)
  const removeNet = installLastResort(deps.logger);
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const url = `http://${deps.config.HAIDANG_HOST.includes(':') ? `[${deps.config.HAIDANG_HOST}]` : deps.config.HAIDANG_HOST}:${bound}`;
  return {
    url,
    close: async () => {
      await app.close();
      removeNet();
    },
  };
}

/**
 * `haidang api`: the api alone over the store (distributed mode). With Kafka it takes pushes
 * and follows the topics for its live channels; with --alerts it is also the one instance
 * that judges the alert rules and watches the sources (alerts go where a processor runs, and
 * here none does).
 */
export async function runApi(flags: Record<string, unknown>): Promise<void> {
  const apiConfig = takeApiConfig();
  const config = configFrom(flags);
  const judge = flags.alerts === true;
  if (judge && !config.KAFKA_BROKERS) {
    throw new HaiDangError('HD_CONFIG_INVALID', 'api --alerts: set KAFKA_BROKERS (or --brokers): the alert rules are judged on the events the stream workers store from Kafka; `haidang start` judges them embedded');
  }
  const logger = createLogger(config.LOG_LEVEL).child({ service: 'api' });
  logger.info(`${describeMode(config)}; api${judge ? ', judging the alert rules' : ''}`);
  const store = await openStore(storeOptionsFrom(config));
  await migrate(store.client, logger, undefined, { cluster: config.HAIDANG_CLICKHOUSE_CLUSTER });
  // with a log (Kafka), this instance takes pushes and follows the topics for its live channels
  // with a group of its own; the stream workers do the storing
  const transport = config.KAFKA_BROKERS ? openTransport(config, logger, 'haidang-api') : undefined;
  const topics = new TopicNames(config.HAIDANG_TOPIC_PREFIX);
  const tail = transport ? new LiveTail({ transport, topics, logger }) : undefined;
  // the judge reads with a group named after the workers' (one judge: it resumes where it
  // stopped after a restart), and hands the engine each batch once the workers stored it
  const alertTail = judge && transport ? new LiveTail({ transport, topics, logger, streams: judgedStreams, groupId: `${config.HAIDANG_GROUP}-alerts` }) : undefined;
  const alertFeed = alertTail ? storedFeed(alertTail, { store: store.client, topics, logger: logger.child({ component: 'alerts' }) }) : undefined;
  await transport?.ensureTopics(topics.all(), config.HAIDANG_PARTITIONS);
  await tail?.start();
  // a tail in trouble does not make the api unready (it still answers from the store): /readyz says live updates are delayed
  const checks: Record<string, ReadinessCheck> = tail ? { liveTail: tail.readiness() } : {};
  const ops = { metricsToken: config.HAIDANG_METRICS_TOKEN, checks };
  const handle = await startApi({ config, logger, store: store.client, transport, topics: transport ? topics : undefined, liveSource: tail, alertSource: alertFeed, ops }, apiConfig, config.HAIDANG_PORT);
  // after the server: the engine listens before the first batch is heard (and committed)
  if (alertTail) {
    await alertTail.start();
    logger.info({ group: alertTail.groupId }, 'alerts: judging the rules on stored events, watching the sources');
  }
  logger.info({ url: handle.url }, `api at ${handle.url}/api/v1 (docs: ${handle.url}/docs)`);
  exitOnSignal(logger, async () => {
    // the judge first: no new batch, what is pending judged, then the engine drains as the server closes
    await alertTail?.stop();
    await alertFeed?.close();
    await handle.close();
    await tail?.stop();
    await transport?.close();
    await store.close();
  });
}
