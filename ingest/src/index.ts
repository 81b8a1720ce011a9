// Public surface of @haidang/ingest.
export { startSimulator, type SimulatorHandle, type SimulatorOptions } from './simulator/run.ts';
export { generateEvents, scenario, type GenerateOptions, type Scenario } from './simulator/generate.ts';
export type { DataEvent } from './simulator/sim-event.ts';
export { replay, recordEvents, type ReplayOptions, type ReplayResult } from './simulator/replay.ts';
export { ingestPlugin, defaultPushLimits, type IngestOptions, type PushLimits } from './push/ingest-plugin.ts';
export { ingestRoutes, type IngestHost } from './push/ingest-routes.ts';
export { IngestError, ingestErrorCodes, type IngestErrorCode } from './push/ingest-error.ts';
export { defaultUploadLimits, type UploadLimits, type UploadReport } from './upload/upload-route.ts';
export { SourceKeys, type SourceKey } from './sources/source-keys.ts';
export { sourceRoutes, type SourceRouteDeps, type SourceAuditEntry } from './sources/admin-routes.ts';
export { entityCatalogueOf, type EntityCatalogue } from './sources/entity-catalogue.ts';
export { ingestMigrations, migrateIngest } from './migrations/index.ts';
export { createPollers, type PollerSet, type PollerSetOptions } from './pollers/poller-set.ts';
export { loadPollersConfig, pollersFile, pollerSpec, pollerKinds, type PollersFile, type PollerSpec, type PollerKind } from './pollers/poller-config.ts';
export type { PollerHealth } from './pollers/poller-health.ts';
export { PollerError, type PollerErrorCode } from './pollers/poller-error.ts';
export { pollerMigrations, migratePollers } from './pollers/poller-migrations.ts';
