export * from "./agent.js";
export * from "./layout.js";
export * from "./logger.js";
export * from "./pidfile.js";
export * from "./touch.js";
export * from "./worker-pool.js";
