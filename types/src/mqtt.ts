import { type Infer, integer, object, oneOf, optional, string, withDefault } from "./codec.js";
import { ErrorInfoCodec } from "./error.js";

// mqttagent's own status on the bus (key `global`): the broker link and the last command, where
// ipcmonitor, diag and tests look. The per-app detail goes to the broker in the heartbeat.

export const MQTT_TOPICS = { status: "MqttAgentStatus" } as const;
export const MQTT_STATUS_KEY = "global";

export const MqttAgentStatusCodec = object(
  {
    /** connecting (first try or backing off), connected, refused (the broker said no: credentials,
     * client id, protocol; retried with back-off), disconnected (stopped). */
    state: oneOf(["connecting", "connected", "refused", "disconnected"] as const),
    broker: string,
    nodeId: string,
    nodeName: withDefault(string, ""),
    /** Why the link is down or was refused, with the next try. */
    error: optional(ErrorInfoCodec),
    connectedSince: optional(string),
    reconnects: withDefault(integer, 0),
    /** The last orchestration command and what came of it (its refusal when it was refused). */
    lastCommand: optional(
      object({ command: string, id: withDefault(string, ""), at: string, error: optional(ErrorInfoCodec) }),
    ),
    edgeApps: withDefault(integer, 0),
    heartbeats: withDefault(integer, 0),
    /** A fingerprint of the organisation key held ("" = none), never the key. */
    orgKey: withDefault(string, ""),
  },
  "MqttAgentStatus",
);
export type MqttAgentStatus = Infer<typeof MqttAgentStatusCodec>;
