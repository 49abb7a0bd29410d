export * from "./backoff.js";
export * from "./durable-append.js";
export * from "./durable-write.js";
export * from "./main-loop.js";
export * from "./private-files.js";
export * from "./process-alive.js";
export * from "./sleep.js";
