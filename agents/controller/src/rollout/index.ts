// Rollouts of a config fragment to many devices in waves (README.md beside this file).
export { handleRollouts } from "./api.js";
export {
  LocalLease,
  ROLLOUT_DOC,
  ROLLOUT_TICK_MS,
  type Rollout,
  RolloutDriver,
  type RolloutLease,
  StoreLease,
} from "./driver.js";
export {
  decodeFragment,
  deviceHealth,
  type Fragment,
  mergeFragment,
  RolloutError,
  waveSizes,
} from "./plan.js";
