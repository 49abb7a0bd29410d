export * from "./main-loop.js";
export * from "./sleep.js";
export * from "./backoff.js";
export * from "./durable-write.js";
