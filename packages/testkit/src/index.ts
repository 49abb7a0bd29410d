// Helpers for tests (test-only: never imported by an agent). This file only re-exports; each module
// imports what it needs from the module that defines it, never from here, so there is no cycle.
export * from "./boot.js";
export * from "./controller.js";
export * from "./controller-rig.js";
export * from "./datastore.js";
export * from "./engine.js";
export * from "./files.js";
export * from "./images.js";
export * from "./mosquitto.js";
export * from "./mqtt-rig.js";
export * from "./net-rig.js";
export * from "./netlab.js";
export * from "./netns.js";
export * from "./newlog.js";
export * from "./node.js";
export * from "./postgres.js";
export * from "./processes.js";
export * from "./registry.js";
export * from "./users.js";
export * from "./wait.js";
