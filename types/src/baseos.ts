import { boolean, type Infer, integer, object, oneOf, optional, string, withDefault } from "./codec.js";
import { ErrorInfoCodec } from "./error.js";

// baseosmgr's tables: the base OS update the controller asks for (BaseOsConfig, from zedagent) and the
// two slots as baseosmgr sees them (BaseOsStatus). The base OS is the Outpost release itself.

/** EdgeDevConfig.baseos. Key "global"; absent when the config names no base OS. */
export const BaseOsConfigCodec = object(
  {
    contentTreeId: string,
    /** The release's version: what `bin/outpost --version` of the new slot must print. */
    version: string,
    activate: boolean,
    /** retry_update.counter: a bump retries a version that failed. */
    retryCounter: withDefault(integer, 0),
  },
  "BaseOsConfig",
);
export type BaseOsConfig = Infer<typeof BaseOsConfigCodec>;
export const BASEOS_CONFIG_KEY = "global";

/** EVE's partitionState names. */
export const PartitionStateCodec = oneOf(["active", "updating", "inprogress", "unused"] as const);
export type PartitionState = Infer<typeof PartitionStateCodec>;

/** EVE's BaseOsStatus (ZInfoDevSW.userStatus) names. */
export const BaseOsUserStatusCodec = oneOf([
  "NONE",
  "DOWNLOADING",
  "DOWNLOAD_DONE",
  "UPDATING",
  "UPDATED",
  "FALLBACK",
  "FAILED",
] as const);
export type BaseOsUserStatus = Infer<typeof BaseOsUserStatusCodec>;

/** EVE's BaseOsSubStatus names. */
export const BaseOsSubStatusCodec = oneOf([
  "NONE_SUBSTATUS",
  "DOWNLOAD_INPROGRESS",
  "VERIFY_INPROGRESS",
  "UPDATE_INITIALIZING",
  "UPDATE_REBOOTING",
  "UPDATE_TESTING",
  "UPDATE_NEED_TEST_CONFIRM",
  "UPDATE_DEFERRED",
] as const);
export type BaseOsSubStatus = Infer<typeof BaseOsSubStatusCodec>;

/** One slot. Key: "A" or "B" (partitionLabel IMGA / IMGB). */
export const BaseOsStatusCodec = object(
  {
    slot: oneOf(["A", "B"] as const),
    /** The release in the slot ("" when it holds none). */
    version: string,
    partitionState: PartitionStateCodec,
    /** The slot the node runs now. */
    activated: boolean,
    userStatus: BaseOsUserStatusCodec,
    subStatus: BaseOsSubStatusCodec,
    subStatusStr: withDefault(string, ""),
    /** 0..100 of the current phase (download). */
    progress: withDefault(integer, 0),
    error: optional(ErrorInfoCodec),
    /** Updates this node went through (ZInfoDevice baseos_update_counter); the same in both slots. */
    updateCounter: withDefault(integer, 0),
  },
  "BaseOsStatus",
);
export type BaseOsStatus = Infer<typeof BaseOsStatusCodec>;

/** A content tree baseosmgr wants fetched and verified (volumemgr); key: the content tree id. */
export const ContentTreeRefCodec = object({ id: string }, "ContentTreeRef");
export type ContentTreeRef = Infer<typeof ContentTreeRefCodec>;

export const BASEOS_TOPICS = {
  config: "BaseOsConfig",
  status: "BaseOsStatus",
  contentTreeRef: "ContentTreeRef",
} as const;
