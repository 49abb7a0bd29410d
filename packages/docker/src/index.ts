export * from "./client.js";
export * from "./errors.js";
export * from "./labels.js";
export * from "./stats.js";
