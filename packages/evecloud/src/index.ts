export * from "./der.js";
export * from "./device.js";
export * from "./envelope.js";
export * from "./http-client.js";
export * from "./identity.js";
export * from "./pki.js";
export { eve } from "./proto.js";
export * from "./session.js";
