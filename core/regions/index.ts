// The national administrative divisions (行政区划) and how they get into the Region table.
export { nationalProvinces, nationalRegions, nationalSource, type NationalRegion } from './national';
export {
  loadRegions,
  loadRegionsOnFirstMigrate,
  provinceCodes,
  syncRegions,
  REGIONS_SOURCE_SETTING,
  type RegionLoadResult,
} from './load-regions';
