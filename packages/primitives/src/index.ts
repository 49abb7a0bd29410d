// The owner-only file rule lives in pubsub (its persistent store needs it, and pubsub sits below the
// packages); re-exported here for the agents that import it from primitives. From the module itself,
// not pubsub's index, so a program that never uses the bus does not load zeromq.
export { ensurePrivateDir, restrictTree } from "@outpost/pubsub/private-files";
export * from "./backoff.js";
export * from "./durable-append.js";
export * from "./durable-write.js";
export * from "./main-loop.js";
export * from "./process-alive.js";
export * from "./secret-input.js";
export * from "./sleep.js";
// proxy-tunnel.ts is imported as "@outpost/primitives/proxy-tunnel": it loads node:http, node:https and
// node:tls, which only the programs that talk HTTP need (every agent imports this index).
