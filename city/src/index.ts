// Public surface of @haidang/city: the city pack every part reads (ingest's simulator and
// pollers, the api's places and KPIs, the commands in bin/).
export { loadCityPack, defaultPackDir } from './load.ts';
export { CityPackError, type PackIssue } from './pack-error.ts';
export { streamPlacesOf } from './stream-places.ts';
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
  type Census,
  type OpeningBalance,
  openingBalance as openingBalanceSchema,
  censusAgeGroups,
} from './pack-schema.ts';
