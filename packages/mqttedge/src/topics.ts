// The MQTT topics of one node (weeve's shapes) and the heartbeat it publishes on its status topic.

export const nodeTopics = (nodeId: string) => ({
  /** manager -> node: deploy, stop, resume, undeploy, remove (QoS 1). */
  orchestration: `${nodeId}/orchestration`,
  /** manager -> node: the organisation key (base64 of 32 bytes), retained. */
  orgKey: `${nodeId}/orgkey`,
  /** node -> manager: the heartbeat (retained, QoS 1); the last will says "disconnected". */
  status: `nodestatus/${nodeId}`,
});

export interface Resources {
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
}

export interface ModuleReport {
  name: string;
  uuid: string;
  /** zedmanager's state of the module's app instance (SwState), or MISSING before it has one. */
  state: string;
  containerId?: string;
  exitCode?: number;
  error?: string;
}

export interface EdgeAppReport {
  id: string;
  name: string;
  version: number;
  /** What the manager last asked for: running, stopped, undeployed, removed. */
  desired: string;
  /** deploying, running, stopping, stopped, undeploying, undeployed, removing, error */
  state: string;
  error?: string;
  modules: ModuleReport[];
}

export interface Heartbeat {
  nodeId: string;
  nodeName: string;
  status: "connected" | "disconnected";
  timestamp?: string;
  lastCommand?: { command: string; id: string; at: string; ok: boolean; error?: string };
  /** Fingerprint of the organisation key the node holds ("" = none). */
  orgKey?: string;
  edgeApps?: EdgeAppReport[];
  resources?: Resources;
}
