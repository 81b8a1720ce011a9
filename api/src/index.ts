// Public surface of @haidang/api.
export { buildServer, apiPrefix, type ApiDeps, type ApiServer } from './server.ts';
export type { ApiPart, PartContext } from './http/api-part.ts';
export { takeApiConfig, apiConfigSchema, type ApiConfig, type AuthConfig } from './config.ts';
export { apiMigrations, migrateApi } from './migrations/index.ts';
export { noPlaces, type Places } from './places.ts';
export { allDashboards, type Dashboard } from './ops/grafana/dashboards.ts';
export { syncGrafana, type SyncReport } from './ops/grafana/sync.ts';
export { GrafanaError } from './ops/grafana/grafana-client.ts';
export { storedFeed, judgedStreams, type StoredFeed } from './alerts/stored-feed.ts';
export { installLastResort } from './http/last-resort.ts';
export { cityEvaluationOf, KpiCatalogue, type CityEvaluation } from './kpi/city-kpis.ts';
