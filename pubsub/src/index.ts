export * from "./bus.js";
export * from "./contract.js";
export { silentLogger } from "./log.js";
export { MemoryTransport } from "./memory-transport.js";
export { ensurePrivateDir, restrictTree } from "./private-files.js";
export { readPersistentTable } from "./store.js";
export type { SubTable } from "./subscriber.js";
export * from "./transport.js";
export { ZmqTransport, zmqTransport } from "./zmq-transport.js";
