// Inventory and reports of the controller (README.md beside this file).
export { InventoryApi, InventoryError, LABELS_DOC, REPORT_DOC, type Snapshot } from "./api.js";
export {
  compareVersions,
  type Filter,
  FilterError,
  matches,
  parseFilter,
  type Row,
  sortRows,
} from "./filter.js";
export {
  APP_FIELDS,
  type AppRow,
  buildDevice,
  DEVICE_FIELDS,
  type DeviceLabels,
  type DeviceRow,
  fleetWarnings,
  VOLUME_FIELDS,
  type VolumeRow,
  type Warning,
} from "./model.js";
export { BUILTIN_REPORTS, decodeReport, type ReportDef, ReportError, toCsv } from "./reports.js";
