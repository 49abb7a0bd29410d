// What mqttagent (the node) and mqtt-manager (the manager) share: the manifest and command format,
// the topics and heartbeat shape, and the sealing of secret parameters with the organisation key.

export * from "./credentials.js";
export * from "./manifest.js";
export * from "./secrets.js";
export * from "./topics.js";
