import { type Infer, integer, object, range, string } from "./codec.js";

// Blink counts as on EVE devices: what a person standing next to the box can read.
export const LedCount = {
  noIp: 1,
  connecting: 2,
  connectedNotOnboarded: 3,
  onboarded: 4,
  /** 10 and up: errors (10 + error class). */
  error: 10,
} as const;

/** Global table (published by any agent under key "global"): the count ledmanager plays. */
export const LedBlinkCounterCodec = object(
  {
    blinkCount: range(integer, 0, 30),
    /** Who set it and why, for diag. */
    source: string,
  },
  "LedBlinkCounter",
);
export type LedBlinkCounter = Infer<typeof LedBlinkCounterCodec>;
export const LED_BLINK_KEY = "global";
export const LED_BLINK_TOPIC = "LedBlinkCounter";
