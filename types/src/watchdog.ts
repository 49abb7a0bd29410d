import { type Infer, integer, object, oneOf, optional, string } from "./codec.js";

/** What the watchdog last saw wrong with an agent. */
export const WatchdogCauseCodec = oneOf(["exited", "stale-touch"] as const);
export type WatchdogCause = Infer<typeof WatchdogCauseCodec>;

/** Per watched agent (key: agent name), published by the watchdog for ipcmonitor and diag. */
export const WatchdogStatusCodec = object(
  {
    agent: string,
    /** running: healthy; restarting: killed or exited, a restart is pending; gave-up: too many
     * restarts in the window, left down; reboot: the hardware watchdog is no longer fed; stopped:
     * stopped on request (WatchdogRequest), left down until a start. */
    state: oneOf(["running", "restarting", "gave-up", "reboot", "stopped"] as const),
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

/** A local operator's request about one agent (key: agent name), published by localapi (persistent)
 * and carried out by the watchdog. `desired` is a level: a stopped agent stays down, also across a
 * restart of the watchdog, until a request says running again (or the key is deleted). `op` is an
 * edge: carried out once when `opCounter` changes (a restart of a running agent, a start of one the
 * watchdog gave up on); one made before the watchdog started is not replayed. */
export const WatchdogRequestCodec = object(
  {
    desired: oneOf(["running", "stopped"] as const),
    op: oneOf(["start", "stop", "restart"] as const),
    opCounter: integer,
    /** ISO 8601, UTC. */
    requestedAt: string,
    /** Who asked (for the log): "localapi uid 1000". */
    by: string,
  },
  "WatchdogRequest",
);
export type WatchdogRequest = Infer<typeof WatchdogRequestCodec>;
export const WATCHDOG_REQUEST_TOPIC = "WatchdogRequest";
export const WATCHDOG_REQUEST_PUBLISHER = "localapi";
