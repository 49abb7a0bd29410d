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

/** The blink count an agent asks for. A pubsub table has one publishing process, so "any agent sets
 * the global count" is: each agent publishes its own LedBlinkCounter table with key "global", and
 * ledmanager plays the most recently set one (largest setAt) across all publishers. */
export const LedBlinkCounterCodec = object(
  {
    blinkCount: range(integer, 0, 30),
    /** Who set it and why, for diag. */
    source: string,
    /** When it was set (ms since the epoch): the latest setting across all publishers wins. */
    setAt: integer,
  },
  "LedBlinkCounter",
);
export type LedBlinkCounter = Infer<typeof LedBlinkCounterCodec>;
export const LED_BLINK_KEY = "global";
export const LED_BLINK_TOPIC = "LedBlinkCounter";
