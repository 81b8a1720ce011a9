// Public surface of @haidang/ingest.
export { startSimulator, type SimulatorHandle, type SimulatorOptions } from './simulator/run.ts';
export { loadCityPack, defaultPackDir } from './city-pack/load.ts';
export { CityPackError, type PackIssue } from './city-pack/pack-error.ts';
export {
  packFiles,
  packSchemas,
  type CityPack,
  type PackManifest,
  type WardFeature,
  type WardCollection,
  type WardProperties,
  type Facility,
  type Market,
  type Commodity,
  type Agency,
  type KpiTarget,
} from './city-pack/pack-schema.ts';
export { generateEvents, scenario, type GenerateOptions, type Scenario } from './simulator/generate.ts';
export type { DataEvent } from './simulator/sim-event.ts';
export { replay, recordEvents, type ReplayOptions, type ReplayResult } from './simulator/replay.ts';
