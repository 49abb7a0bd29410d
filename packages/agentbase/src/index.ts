export * from "./agent.js";
export * from "./keyed-jobs.js";
export * from "./layout.js";
export * from "./logger.js";
export * from "./pidfile.js";
export * from "./steps.js";
export * from "./touch.js";
export * from "./worker-pool.js";
