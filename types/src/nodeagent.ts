import { boolean, type Infer, integer, object, oneOf, optional, string, withDefault } from "./codec.js";
import { ErrorInfoCodec } from "./error.js";

// nodeagent's tables: the device's life cycle as it stands (NodeAgentStatus, read by zedagent for
// ZInfoDevice and by zedmanager for "halt every app"), and the reboot/shutdown requests other agents
// publish for it (NodeAgentRequest).

/** Why the node booted: EVE's BootReason names (info.BootReason without the BOOT_REASON_ prefix). */
export const BOOT_REASONS = [
  "FIRST",
  "REBOOT_CMD",
  "UPDATE",
  "FALLBACK",
  "DISCONNECT",
  "FATAL",
  "OOM",
  "WATCHDOG_HUNG",
  "WATCHDOG_PID",
  "KERNEL",
  "POWER_FAIL",
  "UNKNOWN",
  "VAULT_FAILED",
  "POWEROFF_CMD",
  "PARSE_FAIL",
] as const;
export const BootReasonCodec = oneOf(BOOT_REASONS);
export type BootReason = Infer<typeof BootReasonCodec>;

/** The device's state: EVE's ZDeviceState names (info.ZDeviceState without the ZDEVICE_STATE_ prefix). */
export const DeviceStateCodec = oneOf([
  "BOOTING",
  "ONLINE",
  "REBOOTING",
  "MAINTENANCE_MODE",
  "BASEOS_UPDATING",
  "PREPARING_POWEROFF",
  "POWERING_OFF",
] as const);
export type DeviceState = Infer<typeof DeviceStateCodec>;

export const DeviceOpCodec = oneOf(["reboot", "shutdown"] as const);
export type DeviceOp = Infer<typeof DeviceOpCodec>;

/** Key "global". Not persistent: a new boot starts from nodeagent's files under persist/nodeagent/. */
export const NodeAgentStatusCodec = object(
  {
    state: DeviceStateCodec,
    /** Why this boot happened, and the human text of it (ZInfoDevice lastRebootReason). */
    bootReason: BootReasonCodec,
    lastRebootReason: string,
    /** ISO time of the last reboot: when it was decided, or when an unclean stop was found. */
    lastRebootTime: optional(string),
    /** ISO time nodeagent found this boot. */
    bootedAt: string,
    /** Boots of this node after its first one (ZInfoDevice restartCounter). */
    restartCounter: integer,
    /** The controller's counters as recorded in this boot (0 before any config). */
    rebootConfigCounter: withDefault(integer, 0),
    shutdownConfigCounter: withDefault(integer, 0),
    /** A reboot or shutdown is under way (apps halting, flushing, the backend acting). */
    rebootInProgress: boolean,
    /** EdgeDevConfig.maintenance_mode is on: apps are halted, updates wait. */
    maintenanceMode: boolean,
    /** zedmanager halts every app while this is true (an operation under way, or maintenance mode). */
    haltApps: boolean,
    /** The operation under way, who asked for it and why. */
    pending: optional(
      object({
        op: DeviceOpCodec,
        reason: BootReasonCodec,
        requester: string,
        detail: string,
        /** halting: waiting for the apps; flushing: recording the reason, sync; acting: the backend runs. */
        phase: oneOf(["halting", "flushing", "acting"] as const),
        since: string,
      }),
    ),
    /** The reboot backend in use (systemd, node-restart). */
    backend: string,
    /** The last operation that could not be carried out (backend refused, failed, ...). */
    error: optional(ErrorInfoCodec),
  },
  "NodeAgentStatus",
);
export type NodeAgentStatus = Infer<typeof NodeAgentStatusCodec>;
export const NODEAGENT_STATUS_KEY = "global";

/** A reboot or shutdown another agent asks for (baseosmgr after an update, the watchdog's reboot
 * policy, a local API). Published by the requester under any key; nodeagent acts on each key once per
 * boot, and ignores a request made before the current boot (the requester deletes it once done). */
export const NodeAgentRequestCodec = object(
  {
    op: DeviceOpCodec,
    /** What the next boot reports: UPDATE, FALLBACK, WATCHDOG_PID, WATCHDOG_HUNG, ... */
    reason: BootReasonCodec,
    /** Free text for lastRebootReason, e.g. "update to 0.2.0 (slot B)". */
    detail: withDefault(string, ""),
    /** ISO time of the request. */
    requestedAt: string,
    /** The slot this reboot is to boot (baseosmgr's update: "A" or "B"). When the next boot runs
     * another one (outpost-boot's run/boot-slot), the new slot did not start: that boot is FALLBACK. */
    slot: optional(string),
  },
  "NodeAgentRequest",
);
export type NodeAgentRequest = Infer<typeof NodeAgentRequestCodec>;

export const NODEAGENT_TOPICS = { status: "NodeAgentStatus", request: "NodeAgentRequest" } as const;
