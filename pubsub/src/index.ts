export * from "./contract.js";
export * from "./transport.js";
export * from "./bus.js";
