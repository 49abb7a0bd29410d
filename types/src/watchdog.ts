import { type Infer, integer, object, oneOf, optional, string } from "./codec.js";

/** What the watchdog last saw wrong with an agent. */
export const WatchdogCauseCodec = oneOf(["exited", "stale-touch"] as const);
export type WatchdogCause = Infer<typeof WatchdogCauseCodec>;

/** Per watched agent (key: agent name), published by the watchdog for ipcmonitor and diag. */
export const WatchdogStatusCodec = object(
  {
    agent: string,
    /** running: healthy; restarting: killed or exited, a restart is pending; gave-up: too many
     * restarts in the window, left down; reboot: the hardware watchdog is no longer fed. */
    state: oneOf(["running", "restarting", "gave-up", "reboot"] as const),
    pid: optional(integer),
    restarts: integer,
    lastCause: optional(WatchdogCauseCodec),
    /** ms since the epoch of the last failure. */
    lastEventAt: optional(integer),
  },
  "WatchdogStatus",
);
export type WatchdogStatus = Infer<typeof WatchdogStatusCodec>;
export const WATCHDOG_STATUS_TOPIC = "WatchdogStatus";

/** One line of persist/watchdog/events.jsonl: something went wrong with an agent, and what the
 * watchdog did about it. */
export const WatchdogEventCodec = object(
  {
    /** ISO 8601, UTC. */
    time: string,
    agent: string,
    cause: WatchdogCauseCodec,
    /** The process that failed (absent when there was no pid file). */
    pid: optional(integer),
    /** restart: killed if needed, restart scheduled; give-up: restart-rate limit hit, left down;
     * reboot: hardware watchdog no longer fed, the device will reset. */
    action: oneOf(["restart", "give-up", "reboot"] as const),
    details: string,
  },
  "WatchdogEvent",
);
export type WatchdogEvent = Infer<typeof WatchdogEventCodec>;
