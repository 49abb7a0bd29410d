import { oneOf } from "./codec.js";

// The ordered lifecycle of every object Outpost manages (EVE's SwState). The numeric order matters:
// an aggregate status is the least advanced of its parts, so compare with swStateRank.
export const SW_STATES = [
  "INITIAL",
  "DOWNLOADING",
  "DOWNLOADED",
  "VERIFYING",
  "VERIFIED",
  "LOADING",
  "LOADED",
  "CREATING_VOLUME",
  "CREATED_VOLUME",
  "INSTALLED",
  /** Waiting for the app's network instances to be ONLINE (EVE's AWAITNETWORKINSTANCE). */
  "AWAITNETWORKINSTANCE",
  "BOOTING",
  "RUNNING",
  "PAUSING",
  "PAUSED",
  "HALTING",
  "HALTED",
  "BROKEN",
  "UNKNOWN",
  "FAILED",
] as const;

export type SwState = (typeof SW_STATES)[number];
export const SwStateCodec = oneOf(SW_STATES);

export function swStateRank(s: SwState): number {
  return SW_STATES.indexOf(s);
}

/** The least advanced of several states (INITIAL when there are none). */
export function minSwState(states: Iterable<SwState>): SwState {
  let best: SwState | undefined;
  for (const s of states) if (best === undefined || swStateRank(s) < swStateRank(best)) best = s;
  return best ?? "INITIAL";
}
