import {
  boolean,
  type Infer,
  integer,
  object,
  oneOf,
  optional,
  record,
  string,
  unknown,
  withDefault,
} from "./codec.js";

// zedagent's own tables: how the controller connection and the config stand (ZedAgentStatus), the
// global settings (ConfigItemValueMap), the reboot command for nodeagent (DeviceOpsCmd), and the
// reliable info queue zedagent keeps for itself (InfoQueueEntry, persistent).

/** Key "global". What zedagent knows about its controller and the config in force. */
export const ZedAgentStatusCodec = object(
  {
    /** waiting-onboarding: no OnboardingStatus yet; connecting: no answer yet; connected: last
     * poll answered; offline: last poll failed (the config in force stays). */
    state: oneOf(["waiting-onboarding", "connecting", "connected", "offline"] as const),
    deviceUuid: withDefault(string, ""),
    /** Hash and version of the config in force ("" before any). */
    configHash: withDefault(string, ""),
    configVersion: withDefault(string, ""),
    /** Where the config in force came from. */
    configSource: withDefault(oneOf(["none", "controller", "checkpoint"] as const), "none"),
    /** ISO time the config in force was applied. */
    configAppliedAt: optional(string),
    /** ISO time of the last poll and its outcome (200, 304, 404, 403, or a transport failure). */
    lastPollAt: optional(string),
    lastPollResult: optional(string),
    /** The last config that was refused (bad signature, wrong sender, bad chain, malformed, ...). */
    lastRejectedAt: optional(string),
    lastRejectedReason: optional(string),
    /** envelope reason code: bad-signature, unknown-sender, chain, malformed, invalid. */
    lastRejectedCode: optional(string),
    rejectedCount: withDefault(integer, 0),
    /** Info reports waiting in the queue. */
    pendingReports: withDefault(integer, 0),
    /** persist/zedagent/restart.json was unreadable at this boot: what happened (counter restarted). */
    restartCounterError: optional(string),
  },
  "ZedAgentStatus",
);
export type ZedAgentStatus = Infer<typeof ZedAgentStatusCodec>;
export const ZEDAGENT_STATUS_KEY = "global";

/** One global setting (EVE's ConfigItemValueMap entry). */
export const ConfigItemValueCodec = object({
  /** The value in force (the default when the controller's is absent or invalid). */
  value: string,
  /** What the controller sent, when it sent something. */
  configured: optional(string),
  /** "default", "controller", "invalid" (out of range/unparsable: default used), "unknown" (kept),
   * "local" (a local operator's override through localapi, see ConfigItemOverride). */
  source: oneOf(["default", "controller", "invalid", "unknown", "local"] as const),
  error: optional(string),
});
export type ConfigItemValue = Infer<typeof ConfigItemValueCodec>;

/** Key "global": every known item with its value in force, plus unknown keys kept but flagged. */
export const ConfigItemValueMapCodec = object({ items: record(ConfigItemValueCodec) }, "ConfigItemValueMap");
export type ConfigItemValueMap = Infer<typeof ConfigItemValueMapCodec>;
export const CONFIG_ITEMS_KEY = "global";

/** EVE's DeviceOpsCmd, for nodeagent. Keys "reboot" and "shutdown": a bumped counter means "do it
 * once" (EdgeDevConfig.reboot / .shutdown). Key "maintenance": desiredState is
 * EdgeDevConfig.maintenance_mode (counter unused). */
export const DeviceOpsCmdCodec = object(
  {
    counter: withDefault(integer, 0),
    desiredState: withDefault(boolean, false),
    opsTime: withDefault(string, ""),
    /** ISO time zedagent saw this counter first. */
    receivedAt: optional(string),
  },
  "DeviceOpsCmd",
);
export type DeviceOpsCmd = Infer<typeof DeviceOpsCmdCodec>;

/** zedagent's reliable info queue (persistent, its own): one entry per object, latest wins. Key:
 * `app/<uuid>`, `volume/<uuid>`, `contentTree/<uuid>`, `device`. `payload` is base64 ZInfoMsg. */
export const InfoQueueEntryCodec = object(
  {
    payload: string,
    queuedAt: string,
    attempts: withDefault(integer, 0),
    /** Extra context for ipcmonitor (state reported, gone). */
    summary: withDefault(unknown, {}),
  },
  "InfoQueueEntry",
);
export type InfoQueueEntry = Infer<typeof InfoQueueEntryCodec>;

/** What the controller was last told exists (key as in the queue): after a restart, a key whose
 * object is no longer in any status table is reported gone. */
export const InfoReportedCodec = object({ state: string }, "InfoReported");
export type InfoReported = Infer<typeof InfoReportedCodec>;

export const ZEDAGENT_TOPICS = {
  status: "ZedAgentStatus",
  configItems: "ConfigItemValueMap",
  deviceOps: "DeviceOpsCmd",
  infoQueue: "InfoQueueEntry",
  infoReported: "InfoReported",
} as const;

/** Config items a local operator may override through localapi (agents/localapi/README.md): log levels
 * and the metrics period; none can cut the device off its controller or weaken its security. */
export const LOCAL_CONFIG_ITEMS = [
  "debug.default.loglevel",
  "debug.default.remote.loglevel",
  "timer.metric.interval",
] as const;

/** localapi -> zedagent, key "global": the local overrides in force (item -> value). zedagent puts
 * each valid, allow-listed one into ConfigItemValueMap with source "local"; they stay until removed
 * locally. */
export const ConfigItemOverrideCodec = object(
  { items: record(string), by: string, requestedAt: string },
  "ConfigItemOverride",
);
export type ConfigItemOverride = Infer<typeof ConfigItemOverrideCodec>;
export const CONFIG_ITEM_OVERRIDE_TOPIC = "ConfigItemOverride";
