import type { ClickHouseClient } from '@clickhouse/client';
import fastifyCookie from '@fastify/cookie';
import fastifyJwt from '@fastify/jwt';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { LiveStatus, Logger, Processor } from '@haidang/stream';
import { jsonBodyParser, TopicNames, type Transport } from '@haidang/stream';
import { loadCityPack } from '@haidang/city';
import { AuditLog } from './audit/audit-log.ts';
import { auditRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { ensureFirstAdmin } from './auth/first-admin.ts';
import { sessionCookie, Sessions } from './auth/session.ts';
import { UserStore } from './auth/users.ts';
import type { AuthConfig } from './config.ts';
import type { App } from './http/app-types.ts';
import type { ApiPart, PartContext } from './http/api-part.ts';
import { problem, problemErrorHandler } from './http/problem.ts';
import { storeAnsweringOutages } from './http/store-outages.ts';
import { checkSessionsBeforeValidation } from './http/guard-first.ts';
import { openApiObjectTransform, openApiTransform, securitySchemes } from './http/openapi.ts';
import { registerHttpSecurity, type RateLimits } from './http/security.ts';
import { migrateApi } from './migrations/index.ts';
import { noPlaces, type Places } from './places.ts';
import { WallTokens } from './auth/wall-tokens.ts';
import { wallTokenRoutes } from './auth/wall-token-routes.ts';
import { stateRoutes } from './state/routes.ts';
import { exportRoutes } from './export/routes.ts';
import { kpiRoutes } from './kpi/routes.ts';
import { cityEvaluationOf, KpiCatalogue } from './kpi/city-kpis.ts';
import { OpeningBalances } from './kpi/opening-balance.ts';
import { attachLive, type LiveOptions } from './live/live-channels.ts';
import { AlertEngine } from './alerts/engine.ts';
import { followEpisodes } from './alerts/episode-follower.ts';
import { alertRoutes } from './alerts/routes.ts';
import type { AlertRule } from './alerts/rules.ts';
import { watchSources } from './alerts/source-watch.ts';
import { opsRoutes, type OpsDeps } from './ops/ops-routes.ts';
import { CapacityForecaster } from './forecast/capacity-forecast.ts';
import { forecastRoutes } from './forecast/routes.ts';
import { sourceHealthRoutes } from './source-health/routes.ts';
import { sourceHealth, type SourceHealthOptions } from './source-health/source-health.ts';
import { reportRoutes } from './reports/routes.ts';
import { serveDashboard } from './dashboard/serve-dashboard.ts';
import { mapRoutes } from './dashboard/map-route.ts';
import { attachReadPath, type ReadPathOptions } from './state/read-path.ts';

export interface ApiDeps {
  store: ClickHouseClient;
  /** when given, live channels and alerts follow what it stores */
  processor?: Processor | undefined;
  /** without a processor (distributed `haidang api`): where live channels hear of new events */
  liveSource?: (Pick<Processor, 'onStored'> & { onStatus?: (listener: (status: LiveStatus) => void) => () => void; status?: LiveStatus }) | undefined;
  /** without a processor: where the alert engine hears of stored events (`haidang api --alerts`, one instance only); also runs the source watch */
  alertSource?: Pick<Processor, 'onStored'> | undefined;
  logger: Logger;
  auth: AuthConfig;
  /** other origins (scheme://host:port) allowed by CORS and the socket; same-origin always is */
  corsOrigins?: string[];
  places?: Places;
  rateLimits?: Partial<RateLimits>;
  live?: Partial<LiveOptions>;
  alertRules?: AlertRule[];
  /** `start()` skips the api's migrations (the caller already ran them) */
  migrated?: boolean;
  /** routes of other workspaces mounted beside the api's (bin/ passes ingest's push routes) */
  parts?: readonly ApiPart[];
  /** the log: source health reads its topics; parts (the push routes) publish through it */
  transport?: Transport | undefined;
  topics?: TopicNames | undefined;
  /** /metrics and /readyz: the process's metrics and extra readiness checks, the metrics token */
  ops?: Omit<OpsDeps, 'store'>;
  /** source health: cadences per source, reject-jump thresholds, the pollers' health */
  sourceHealth?: SourceHealthOptions;
  /** the dashboard build served at `/` (default dashboard/dist) */
  dashboardDir?: string;
  /** the read path of the stored streams: cache ceiling, `max_execution_time`, `Retry-After`; false: none (every read asks the engine; for benchmarks) */
  reads?: ReadPathOptions | false;
}

export const apiPrefix = '/api/v1';

/** the api built, not started: `start()` migrates, seeds the first admin and starts the background loops */
export type ApiServer = FastifyInstance & {
  /** runs once (later calls wait for the first): before `listen`, or before the first `inject` that needs the store */
  start(): Promise<void>;
  /** the store as the routes use it: `deps.store`, a call it does not answer failing with HD_STORE_UNAVAILABLE */
  readonly store: ClickHouseClient;
};

/**
 * The api as a Fastify instance, not yet listening: tests drive it with `app.inject`, bin/
 * calls `listen`. Every route validates with zod, answers errors as problem details and is
 * described at /docs. Building touches nothing outside the process (no table, no user, no
 * timer): `start()` does, and closing the instance stops what it started.
 */
export async function buildServer(deps: ApiDeps): Promise<ApiServer> {
  const logger = deps.logger.child({ component: 'api' });
  // a store that does not answer is an outage (503, Retry-After), not a bug
  const store = storeAnsweringOutages(deps.store);
  const app = Fastify({
    loggerInstance: logger,
    // a URL that is no URL (a broken %-escape) or a path parameter past its length: problem details like every other refusal
    frameworkErrors: (error, request, reply) => problemErrorHandler(logger)(error, request, reply),
    // no reverse proxy is assumed: a slow client must not hold a socket forever (Fastify docs, Server.md)
    requestTimeout: 30_000,
    connectionTimeout: 120_000,
    bodyLimit: 64 * 1024,
    trustProxy: false,
    // one line per request would drown the pipeline's log; errors are still logged
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(problemErrorHandler(logger));
  checkSessionsBeforeValidation(app);
  // reads of the stored streams: answered once while in flight, kept until the processor stores
  // the next batch of a stream they read; an api not told when batches are stored keeps them 2 s
  if (deps.reads !== false) {
    const { reads, detach } = attachReadPath(store, { ttlMs: deps.processor ? undefined : 2_000, ...deps.reads });
    if (deps.processor) {
      // the oldest report of the batch: answers about ranges that ended before it stay kept
      const off = deps.processor.onStored((stream, events) => reads.stored(stream, events.reduce((m, e) => Math.min(m, Date.parse(e.observedAt)), Infinity)));
      app.addHook('onClose', async () => off());
    }
    app.addHook('onClose', async () => detach());
  }
  app.setNotFoundHandler((request, reply) => problem(reply, 404, 'Not found', `no route ${request.method} ${request.url.split('?')[0]}`));
  // bodies are JSON only (text/plain is 415), a UTF-8 BOM allowed, nesting bounded before parsing
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser('HD_BODY_NOT_JSON'));

  const corsOrigins = deps.corsOrigins ?? [];
  const rateLimits = await registerHttpSecurity(app, { corsOrigins, rateLimits: deps.rateLimits });
  const opsMetrics = opsRoutes(app, { store, ...deps.ops });
  await app.register(fastifyCookie);
  await app.register(fastifyJwt, { secret: deps.auth.sessionSecret, cookie: { cookieName: sessionCookie, signed: false }, sign: { algorithm: 'HS256' }, verify: { algorithms: ['HS256'] } });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Hải Đăng API', version: '1', description: 'Current state, time series, KPIs, exports and alerts of the Vũng Tàu IOC. Sign in with POST /api/v1/auth/login; the session is an httpOnly cookie.' },
      components: { securitySchemes },
    },
    // every route's statuses (problem details), public routes `security: []`: http/openapi.ts
    transform: openApiTransform as never,
    transformObject: openApiObjectTransform as never,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const users = new UserStore(store);
  const audit = new AuditLog(store, logger);
  const sessions = new Sessions(store, deps.auth, users);
  const wallTokens = new WallTokens(store);
  sessions.wallRevoked = (id) => wallTokens.isRevoked(id);
  const places = deps.places ?? noPlaces;
  // one cadence per stream, from the city pack, for the badges and source health alike
  const healthOptions: SourceHealthOptions = { cadences: places.cadence, timeZone: places.timezone, ...deps.sourceHealth };
  // the KPIs, their targets and the city's time zone come from the city pack
  const city = places.city ?? cityEvaluationOf(await loadCityPack());
  const kpi = { catalogue: new KpiCatalogue(city), balances: new OpeningBalances(store, city.openingBalance) };
  const alerts = new AlertEngine({ store, logger, rules: deps.alertRules });
  const parts = deps.parts ?? [];
  const partContext: PartContext = {
    store,
    logger,
    places,
    transport: deps.transport,
    topics: deps.topics,
    require: (resource) => sessions.require(resource),
    actorOf: (request) => request.user.sub,
    audit: (entry) => audit.record(entry),
  };

  await app.register(
    async (api) => {
      const a = api as unknown as App;
      // api bodies come uncompressed: an encoded body is refused (415), not read as broken JSON
      a.addHook('onRequest', async (request, reply) => {
        const encoding = request.headers['content-encoding'];
        const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
        if (encoding === undefined || !hasBody || encoding.trim().toLowerCase() === 'identity') return;
        return problem(reply, 415, 'Unsupported content encoding', `Content-Encoding "${encoding.slice(0, 40)}" is not accepted here: send the JSON body uncompressed`, [{ field: 'headers.content-encoding', message: 'not accepted: send the body uncompressed' }]);
      });
      a.get('/health', { schema: { tags: ['meta'], summary: 'Liveness and store reachability (no sign-in)' } }, async () => {
        const ok = await store.ping();
        return { status: ok.success ? 'ok' : 'store-unreachable', processor: deps.processor ? { stored: deps.processor.counters.stored, deadLettered: deps.processor.counters.deadLettered, lastBatchAt: deps.processor.counters.lastBatchAt } : null };
      });
      authRoutes(a, { users, sessions, audit, loginRateLimit: rateLimits.login });
      wallTokenRoutes(a, { sessions, audit, tokens: wallTokens, rateLimit: rateLimits.wall });
      auditRoutes(a, { sessions, audit });
      stateRoutes(a, { store, sessions, places });
      kpiRoutes(a, { store, sessions, audit, kpi });
      exportRoutes(a, { store, sessions, audit, kpi, places });
      alertRoutes(a, { sessions, audit, alerts });
      forecastRoutes(a, { sessions, forecaster: new CapacityForecaster(store), places });
      sourceHealthRoutes(a, { store, sessions, audit, topics: deps.topics, transport: deps.transport, options: healthOptions });
      reportRoutes(a, { store, sessions, audit, kpi, logger });
      mapRoutes(a, { sessions, places });
      for (const part of parts) part.routes?.(a, partContext);
    },
    { prefix: apiPrefix },
  );
  for (const part of parts) {
    const root = part.root;
    if (root) await app.register(async (child) => root.plugin(child, partContext), { prefix: root.prefix });
  }

  await serveDashboard(app, { dir: deps.dashboardDir, logger });

  const healthTopics = deps.topics ?? new TopicNames();
  // what start() starts, stopped in reverse order when the instance closes
  const stops: Array<() => unknown> = [];
  // live sockets first: the HTTP server's close waits for every connection, upgraded ones included
  let disconnectLive: (() => void) | undefined;
  app.addHook('preClose', async () => disconnectLive?.());
  app.addHook('onClose', async () => {
    for (const stop of stops.reverse()) await stop();
  });
  let started: Promise<void> | undefined;

  /** the tables, the first admin, the alert episodes still firing, the live channels and the loops */
  const start = async (): Promise<void> => {
    if (!deps.migrated) await migrateApi(store, logger);
    for (const part of parts) await part.migrate?.(store, logger);
    await ensureFirstAdmin(users, audit, logger, deps.auth.adminPassword);
    await alerts.load();
    const live = attachLive(app, { sessions, corsOrigins, logger, store, places, options: deps.live, sourceHealth: () => sourceHealth(store, healthTopics, healthOptions) });
    disconnectLive = () => live.disconnectAll();
    stops.push(async () => {
      await live.close();
      await alerts.close();
    });
    opsMetrics.countSocketsWith(() => live.io.engine.clientsCount);
    const liveFeed = deps.processor ?? deps.liveSource;
    if (liveFeed) stops.push(liveFeed.onStored((stream, events) => live.onStored(stream, events)));
    // a live tail that lags tells the clients (`live-status`), and again when it is current
    if (!deps.processor && deps.liveSource?.onStatus) {
      if (deps.liveSource.status) live.publishStatus(deps.liveSource.status);
      stops.push(deps.liveSource.onStatus((status) => live.publishStatus(status)));
    }
    // alerts are judged in one process: the processor's, or the api given an alert source; an
    // api instance judging its own tail would raise each episode once per instance
    const alertFeed = deps.processor ?? deps.alertSource;
    if (alertFeed) {
      stops.push(alertFeed.onStored((stream, events) => alerts.onStored(stream, events)));
      // the process that judges stored events also watches for sources that went silent
      const watch = watchSources({ store, topics: healthTopics, alerts, logger, options: healthOptions, onHealth: (sources) => live.publishSources(sources) });
      stops.push(() => watch.stop());
    } else {
      // another process judges: push the episodes it saves to this instance's clients too
      const follow = followEpisodes({ alerts, logger, everyMs: 2_000, onEpisode: (e) => live.publishAlert(e) });
      stops.push(() => follow.stop());
    }
    alerts.onChange((episode) => live.publishAlert(episode));
  };
  return Object.assign(app, {
    start: () => (started ??= start()),
    store,
  });
}
